# shellcheck shell=bash
# Redis from Debian's packages (BullMQ's store). Runs as the invoking user.
redis_up() {
  if [ -n "${HUB_TEST_REDIS_URL:-}" ]; then step redis "$HUB_TEST_REDIS_URL (from HUB_TEST_REDIS_URL)"; return; fi
  apt_ensure redis-server
  local dir="$HUB_RUN_DIR/redis" port="$HUB_TEST_REDIS_PORT"
  mkdir -p "$dir"
  if ! port_open "$port"; then
    # BullMQ requires maxmemory-policy noeviction; no snapshots: test data only.
    redis-server --bind 127.0.0.1 --port "$port" --dir "$dir" --save "" --appendonly no \
      --maxmemory-policy noeviction --daemonize yes --pidfile "$dir/redis.pid" --logfile "$dir/redis.log"
    wait_port "$port" 20 redis "$dir/redis.log"
  fi
  step redis "redis://127.0.0.1:$port (Redis $(redis-cli -p "$port" INFO server | sed -n 's/^redis_version:\(.*\)\r$/\1/p'))"
}

redis_down() { stop_pidfile "$HUB_RUN_DIR/redis/redis.pid" redis; }
