#!/usr/bin/env bash
# Starts (up) or stops (down) LocalStack from docker-compose.yml, with
# whichever Compose this machine has (the `docker compose` plugin or the
# older `docker-compose`), and says plainly what is missing when it cannot.
# `make localstack-up` and `make localstack-down` call it.
set -uo pipefail
cd "$(dirname "$0")/.."

health="${LOCALSTACK_HEALTH:-http://localhost:4566/_localstack/health}"
needless="The tutorial does not need it: \`go run .\` uses the embedded backend, and \`secretlings serve\` is a Docker-free Secrets Manager on :4566."

fail() {
	printf 'localstack: %s\n%s\n' "$1" "$needless" >&2
	exit 1
}

compose=()
if command -v docker >/dev/null 2>&1 && docker compose version >/dev/null 2>&1; then
	compose=(docker compose)
elif command -v docker-compose >/dev/null 2>&1; then
	compose=(docker-compose)
elif command -v docker >/dev/null 2>&1; then
	fail "Docker is installed but Compose is not: install the Compose plugin (the docker-compose-plugin package, or Docker Desktop) or docker-compose, then run this again."
else
	fail "Docker is not installed, and LocalStack runs in Docker: install Docker Engine with the Compose plugin (https://docs.docker.com/engine/install/) to use it."
fi

if command -v docker >/dev/null 2>&1 && ! docker info >/dev/null 2>&1; then
	fail "no Docker daemon answers (docker info failed): start Docker (sudo systemctl start docker, or open Docker Desktop) and run this again."
fi

case "${1:-}" in
up)
	if [ "${compose[*]}" = "docker compose" ]; then
		"${compose[@]}" up -d --wait localstack || fail "LocalStack did not become healthy: see \`${compose[*]} logs localstack\`."
	else
		# docker-compose v1 has no --wait: poll the health check.
		"${compose[@]}" up -d localstack || fail "docker-compose could not start LocalStack: see its message above."
		for _ in $(seq 1 60); do
			if curl -fs --max-time 2 "$health" 2>/dev/null | grep -Eq '"secretsmanager": "(available|running)"'; then
				break
			fi
			sleep 2
		done
		curl -fs --max-time 2 "$health" 2>/dev/null | grep -Eq '"secretsmanager": "(available|running)"' ||
			fail "LocalStack started but its secretsmanager service is not up after 2 minutes: see \`docker-compose logs localstack\`."
	fi
	echo "LocalStack is up: go run . --backend localstack"
	;;
down)
	"${compose[@]}" down || fail "${compose[*]} down failed: see its message above."
	echo "LocalStack is stopped."
	;;
*)
	echo "usage: scripts/localstack.sh up|down" >&2
	exit 2
	;;
esac
