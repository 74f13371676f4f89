/** An area of the navigation whose page is not built yet: said plainly, not faked. */
export function ComingSoon({ area, cli }: { area: string; cli: string }) {
  return (
    <section class="card empty">
      <h1>{area}</h1>
      <p>This page is not built yet. Until it is, the Docker CLI does the same:</p>
      <pre><code>{cli}</code></pre>
    </section>
  );
}
