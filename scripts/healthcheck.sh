#!/bin/bash
# The container image's HEALTHCHECK: healthy when GET /api/v1/health answers 200. Plain HTTP is
# asked with bash alone (/dev/tcp), cheap enough to run every 30 s on a Raspberry Pi; over
# HTTPS (TLS_CERT or TLS_SELF_SIGNED) Deno asks, without checking the certificate: this only
# tells whether the server answers.
set -euo pipefail
port=${PORT:-5000}
if [[ -n ${TLS_CERT:-} || ${TLS_SELF_SIGNED:-} =~ ^(1|true|yes)$ ]]; then
  exec deno eval --quiet --unsafely-ignore-certificate-errors=127.0.0.1 \
    "const r = await fetch('https://127.0.0.1:$port/api/v1/health'); Deno.exit(r.ok ? 0 : 1);"
fi
exec 3<>"/dev/tcp/127.0.0.1/$port"
printf 'GET /api/v1/health HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3
read -r -t 5 status <&3
[[ $status == "HTTP/1."?" 200 "* ]]
