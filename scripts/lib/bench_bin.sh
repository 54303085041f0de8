# shellcheck shell=bash
# The usersctl a bench times: USERSCTL_BIN when set, else build-bench/usersctl (Release), built
# first (after scripts/bootstrap -q, which installs what is missing). Source this file, then:
# bin=$(bench_bin "$repo")
bench_bin() {
  local repo=$1
  if [[ -n "${USERSCTL_BIN-}" ]]; then
    printf '%s\n' "$USERSCTL_BIN"
    return 0
  fi
  (cd "$repo" && scripts/bootstrap -q && if [[ ! -f build-bench/build.ninja ]]; then
    cmake -S . -B build-bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DUSERSCTL_TESTS=OFF >&2
  fi && cmake --build build-bench --target usersctl >&2) || return 1
  printf '%s\n' "$repo/build-bench/usersctl"
}
