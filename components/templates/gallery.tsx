/** The templates gallery: search, category and origin filters, one card per template. */
import type { TemplateSummary } from "../../services/templates/model.ts";
import { Alert, PageHead } from "../ui.tsx";

export type GalleryFilter = { q?: string; category?: string; origin?: "builtin" | "mine" };

function Filters({ filter, categories }: { filter: GalleryFilter; categories: string[] }) {
  return (
    <form class="filters template-filters" method="get" action="/templates" role="search">
      <div class="field grow">
        <label for="tf-q">Search</label>
        <input
          type="search"
          id="tf-q"
          name="q"
          value={filter.q ?? ""}
          placeholder="Name or description"
          maxlength={128}
          autocomplete="off"
        />
      </div>
      <div class="field">
        <label for="tf-category">Category</label>
        <select id="tf-category" name="category">
          <option value="">Any category</option>
          {categories.map((c) => <option value={c} selected={c === filter.category}>{c}</option>)}
        </select>
      </div>
      <div class="field">
        <label for="tf-origin">Origin</label>
        <select id="tf-origin" name="origin">
          <option value="">Built-in and mine</option>
          <option value="builtin" selected={filter.origin === "builtin"}>Built-in</option>
          <option value="mine" selected={filter.origin === "mine"}>Mine</option>
        </select>
      </div>
      <button type="submit" class="btn btn-small">Filter</button>
    </form>
  );
}

function Card({ t }: { t: TemplateSummary }) {
  return (
    <li class="card template-card" id={`template-${t.id}`}>
      <div class="template-card-head">
        {/* A logo URL is never fetched (strict CSP, no other origin): the initial stands in. */}
        <span class="template-avatar" aria-hidden="true">{t.name.slice(0, 1).toUpperCase()}</span>
        <h2>
          <a href={`/templates/${t.id}`}>{t.name}</a>
        </h2>
      </div>
      <p class="badges">
        <span class="badge">{t.kind === "stack" ? "Stack" : "Container"}</span>
        <span class="badge">{t.builtin ? "Built-in" : "Mine"}</span>
        {t.categories.map((c) => <span class="badge badge-category">{c}</span>)}
      </p>
      {t.description && <p class="template-description">{t.description}</p>}
      <div class="button-row">
        <a class="btn btn-primary btn-small" href={`/templates/${t.id}`}>Deploy…</a>
        <a class="btn btn-ghost btn-small" href={`/templates/${t.id}/export`}>Export</a>
      </div>
    </li>
  );
}

export function GalleryPage(
  { templates, categories, filter, total }: {
    templates: TemplateSummary[];
    categories: string[];
    filter: GalleryFilter;
    total: number;
  },
) {
  return (
    <>
      <PageHead title="Templates">
        <a class="btn" href="/templates/import">Import</a>
        <a class="btn btn-ghost" href="/templates/export">Export mine</a>
      </PageHead>
      <p class="hint">
        Deploy a common app with sensible defaults, or one of your own. Save any container from its
        page ("Save as template"). The built-ins' memory limits follow this host's hardware profile.
      </p>
      <Filters filter={filter} categories={categories} />
      <p class="muted" id="template-count">{templates.length} of {total} templates</p>
      {templates.length
        ? <ul class="template-grid">{templates.map((t) => <Card t={t} />)}</ul>
        : <Alert kind="info">No template matches the filter.</Alert>}
    </>
  );
}
