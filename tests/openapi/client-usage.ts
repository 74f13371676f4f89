/**
 * A client of the served OpenAPI document, as a user would write one: `openapi-typescript` types
 * (generated at test time into tests/output/openapi/schema.d.ts by
 * tests/integration/openapi-client.test.ts) with `openapi-fetch`. The test type-checks this file
 * with `deno check` and then runs it against a real server: a wrong or loose schema fails one or
 * the other (each `@ts-expect-error` below fails the check when the types let the mistake pass).
 */
import createClient from "openapi-fetch";
import type { paths } from "../output/openapi/schema.d.ts";

type CreateBody = NonNullable<
  paths["/containers"]["post"]["requestBody"]
>["content"]["application/json"];

export type Exercise = {
  created: { id: string; name: string; cli: string; status: number };
  listed: string[];
  notFound: { status: number; error: string; message: string; code: number };
  invalid: { status: number; error: string; message: string };
};

/** Creates `name` (labelled for the test's cleanup), lists it, and reads two errors. */
export async function exercise(
  baseUrl: string,
  token: string,
  name: string,
  image: string,
  labels: Record<string, string>,
): Promise<Exercise> {
  const api = createClient<paths>({
    baseUrl: `${baseUrl}/api/v1`,
    headers: { authorization: `Bearer ${token}` },
  });

  const made = await api.POST("/containers", {
    body: { image, name, labels, autoStart: false },
  });
  if (!made.data) throw new Error(`create failed: ${JSON.stringify(made.error)}`);
  // @ts-expect-error the create body requires `image`
  const _needsImage: CreateBody = { name };

  const list = await api.GET("/containers", { params: { query: { all: "1", q: name } } });
  if (!list.data) throw new Error(`list failed: ${JSON.stringify(list.error)}`);
  const listed: string[] = list.data.map((c) => c.name);
  // @ts-expect-error a list item's `state` is a string, not a number
  const _state: number | undefined = list.data[0]?.state;

  const missing = await api.GET("/containers/{id}", {
    params: { path: { id: `${name}-no-such` } },
  });
  if (!missing.error) throw new Error("a missing container answered without an error");

  const bad = await api.POST("/containers", { body: { image, ports: ["70000:80"] } });
  if (!bad.error) throw new Error("a bad port was accepted");

  return {
    created: {
      id: made.data.id,
      name: made.data.name,
      cli: made.data.cli,
      status: made.response.status,
    },
    listed,
    notFound: {
      status: missing.response.status,
      error: missing.error.error,
      message: missing.error.message,
      code: missing.error.code,
    },
    invalid: { status: bad.response.status, error: bad.error.error, message: bad.error.message },
  };
}
