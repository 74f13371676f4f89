/** Disk use as `docker system df` computes it, and networks no container uses. */
import type { ContainerSummary, NetworkInspect, SystemDataUsage } from "../docker/types.ts";
import type { DiskRow, Resources } from "./data.ts";

const BUILTIN_NETWORKS = new Set(["bridge", "host", "none", "ingress", "docker_gwbridge"]);

/** `docker system df`, computed the way the CLI computes it (reclaimable included). */
export function diskUsage(
  df: SystemDataUsage,
): Resources["disk"] & { images: Resources["images"]; volumes: Resources["volumes"] } {
  const images = df.Images ?? [];
  const containers = df.Containers ?? [];
  const volumes = df.Volumes ?? [];
  const cache = df.BuildCache ?? [];
  const usedImages = images.filter((i) => i.Containers > 0);
  // The CLI: what used images hold on their own is not reclaimable; the rest of the layers is.
  const usedImageBytes = usedImages.reduce(
    (s, i) => s + (i.SharedSize >= 0 ? Math.max(0, i.Size - i.SharedSize) : 0),
    0,
  );
  const imageSize = df.LayersSize ?? 0;
  const volSize = (v: SystemDataUsage["Volumes"] & object) =>
    v.reduce((s, x) => s + Math.max(0, x.UsageData?.Size ?? 0), 0);
  const unusedVolumes = volumes.filter((v) => (v.UsageData?.RefCount ?? 0) === 0);
  const rows: DiskRow[] = [
    {
      kind: "images",
      count: images.length,
      active: usedImages.length,
      size: imageSize,
      reclaimable: Math.max(0, imageSize - usedImageBytes),
    },
    {
      kind: "containers",
      count: containers.length,
      active: containers.filter((c) => c.State === "running").length,
      size: containers.reduce((s, c) => s + (c.SizeRw ?? 0), 0),
      reclaimable: containers.filter((c) => c.State !== "running")
        .reduce((s, c) => s + (c.SizeRw ?? 0), 0),
    },
    {
      kind: "volumes",
      count: volumes.length,
      active: volumes.length - unusedVolumes.length,
      size: volSize(volumes),
      reclaimable: volSize(unusedVolumes),
    },
    {
      kind: "build-cache",
      count: cache.length,
      active: cache.filter((b) => b.InUse).length,
      size: cache.reduce((s, b) => s + (b.Size ?? 0), 0),
      reclaimable: cache.filter((b) => !b.InUse && !b.Shared).reduce(
        (s, b) => s + (b.Size ?? 0),
        0,
      ),
    },
  ];
  return {
    rows,
    size: rows.reduce((s, r) => s + r.size, 0),
    reclaimable: rows.reduce((s, r) => s + r.reclaimable, 0),
    images: {
      count: images.length,
      size: imageSize,
      // The Docker layer lists a dangling image without tags, whichever the daemon's version.
      dangling: images.filter((i) => i.RepoTags.length === 0).length,
      unused: images.length - usedImages.length,
    },
    volumes: { count: volumes.length, unused: unusedVolumes.length },
  };
}

/** Networks no container uses (the built-in ones are never counted as unused). */
export function unusedNetworks(networks: NetworkInspect[], containers: ContainerSummary[]): number {
  const used = new Set<string>();
  for (const c of containers) {
    for (const [name, n] of Object.entries(c.NetworkSettings?.Networks ?? {})) {
      used.add(name);
      if (n?.NetworkID) used.add(n.NetworkID);
    }
  }
  return networks.filter((n) =>
    !BUILTIN_NETWORKS.has(n.Name) && !used.has(n.Name) && !used.has(n.Id)
  )
    .length;
}
