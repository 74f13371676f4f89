/**
 * A folder of a volume, read-only: where it is (each level a link), its entries (folders open,
 * files download, links show where they point and are never followed), and the equivalent CLI.
 */
import type { FileEntry, Folder } from "../../services/volumes/browse.ts";
import { formatBytes, plural, timeAgo } from "../format.ts";
import { DataTable } from "../table.tsx";
import { Alert } from "../ui.tsx";
import { downloadHref, volumeHref } from "./common.tsx";

/** `0755` as `rwxr-xr-x`. */
export function permissions(mode: string): string {
  const bits = parseInt(mode, 8) & 0o777;
  return [6, 3, 0].map((shift) => {
    const b = (bits >> shift) & 7;
    return `${b & 4 ? "r" : "-"}${b & 2 ? "w" : "-"}${b & 1 ? "x" : "-"}`;
  }).join("");
}

/** htmx attributes that open `path` of the volume in the files panel, and put it in the URL. */
function opens(volume: string, path: string) {
  return {
    href: volumeHref(volume, "", path),
    "hx-get": `${volumeHref(volume, "/files")}?path=${encodeURIComponent(path)}`,
    "hx-target": "#files",
    "hx-swap": "outerHTML",
    "hx-push-url": volumeHref(volume, "", path),
  };
}

function Crumbs({ volume, path }: { volume: string; path: string }) {
  const parts = path.split("/").filter(Boolean);
  return (
    <nav class="crumbs" aria-label="Folder">
      <ol>
        <li>
          <a {...opens(volume, "/")}>{volume}</a>
        </li>
        {parts.map((part, i) => {
          const to = `/${parts.slice(0, i + 1).join("/")}`;
          return (
            <li>
              {i === parts.length - 1
                ? <span aria-current="location">{part}</span>
                : <a {...opens(volume, to)}>{part}</a>}
            </li>
          );
        })}
      </ol>
    </nav>
  );
}

function EntryName({ volume, e }: { volume: string; e: FileEntry }) {
  if (e.type === "directory") {
    return <a class="name-link entry-dir" {...opens(volume, e.path)}>{e.name}/</a>;
  }
  if (e.type === "file") {
    return (
      <a class="name-link entry-file" href={downloadHref(volume, e.path)} download={e.name}>
        {e.name}
      </a>
    );
  }
  if (e.type === "symlink") {
    return (
      <span class="entry-link" title="A symbolic link: shown, never followed">
        {e.name} <span class="muted">→ {e.target}</span>
      </span>
    );
  }
  return <span class="entry-other">{e.name}</span>;
}

const TYPE_LABEL = { file: "file", directory: "folder", symlink: "link", other: "special" };

function EntryRow({ volume, e }: { volume: string; e: FileEntry }) {
  return (
    <tr class="entry-row" data-name={e.name} data-type={e.type}>
      <td class="col-entry-name">
        <EntryName volume={volume} e={e} />
      </td>
      <td class="hide-sm">{TYPE_LABEL[e.type]}</td>
      <td class="col-size" data-bytes={e.size ?? ""}>
        {e.type === "symlink" || e.size === null
          ? <span class="muted">—</span>
          : formatBytes(e.size)}
      </td>
      <td class="hide-sm">
        <code title={e.mode}>{permissions(e.mode)}</code>
      </td>
      <td class="hide-md">
        {e.modified
          ? <time datetime={e.modified} title={e.modified}>{timeAgo(new Date(e.modified))}</time>
          : <span class="muted">—</span>}
      </td>
    </tr>
  );
}

/** The files panel: a folder, or why it cannot be shown (a path refused, Docker down). */
export function FilesPanel(
  { volume, path, folder, error }: {
    volume: string;
    path: string;
    folder?: Folder;
    error?: string;
  },
) {
  return (
    <section class="card files" id="files" data-path={folder?.path ?? path}>
      <div class="files-head">
        <h2>Files</h2>
        {folder && (
          <a
            class="btn btn-small"
            id="download-folder"
            href={downloadHref(volume, folder.path)}
            download
          >
            Download {folder.path === "/" ? "all" : "this folder"} (.tar)
          </a>
        )}
      </div>
      <Crumbs volume={volume} path={folder?.path ?? "/"} />
      {error && (
        <Alert kind="error">
          {error} <a {...opens(volume, "/")}>Back to the volume's root</a>
        </Alert>
      )}
      {folder && (
        <>
          <p class="muted" id="files-count">
            {plural(folder.entries.length + folder.more, "entry", "entries")},{" "}
            {formatBytes(folder.size)} in files
            {folder.more ? ` (the first ${folder.entries.length} are listed)` : ""}
          </p>
          {folder.entries.length === 0
            ? <p class="empty-state" id="files-empty">This folder is empty.</p>
            : (
              <DataTable
                class="files-table"
                columns={[
                  "Name",
                  { label: "Type", class: "hide-sm" },
                  "Size",
                  { label: "Mode", class: "hide-sm" },
                  { label: "Modified", class: "hide-md" },
                ]}
              >
                {folder.entries.map((e) => <EntryRow volume={volume} e={e} />)}
              </DataTable>
            )}
          <p class="hint">
            Read-only. Folders open, files download; a link shows where it points and is not
            followed. A folder's size is that of the files under it.
          </p>
          <pre class="cli-line" id="files-cli"><code>{folder.cli}</code></pre>
        </>
      )}
    </section>
  );
}
