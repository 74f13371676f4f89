import { Layout } from "./layout.tsx";
import type { DockerState } from "../services/docker/client.ts";

type Props = { status: number; title: string; message: string; docker?: DockerState };

/** 404, 500 and other errors, inside the layout when the visitor is signed in. */
export function ErrorPage({ status, title, message, docker }: Props) {
  return (
    <Layout title={title} app={docker ? { active: null, docker } : undefined}>
      <section class="error-page">
        <p class="error-code">{status}</p>
        <h1>{title}</h1>
        <p>{message}</p>
        <p>
          <a href="/" class="btn">Back to the dashboard</a>
        </p>
      </section>
    </Layout>
  );
}
