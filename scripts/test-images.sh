#!/usr/bin/env bash
# Build the local Docker images that proeftuin's tests, examples and labs use.
#
# There is no container registry on the test machines, so every image is
# built locally from Debian packages fetched through the host's own apt
# configuration:
#
#   proeftuin/busybox:1         FROM scratch + Debian's busybox-static
#   proeftuin/debian:bookworm   debootstrap minbase of bookworm, docker import
#
# Each image carries the label proeftuin.recipe=<sha256 of its recipe>. When
# an image with the same tag and recipe label already exists it is reused.
#
# Usage: scripts/test-images.sh [--only busybox|debian] [--force]
# See scripts/README.md.
set -euo pipefail

readonly BUSYBOX_IMAGE="proeftuin/busybox:1"
readonly DEBIAN_IMAGE="proeftuin/debian:bookworm"
readonly DEBIAN_SUITE="bookworm"
readonly DEBIAN_INCLUDE="busybox,curl,netcat-openbsd,ca-certificates,iproute2,procps"
readonly RECIPE_LABEL="proeftuin.recipe"
# Containers started by this script carry this label so that cleanup can find
# them even if the script is interrupted.
readonly RUN_LABEL="proeftuin.test-images.run"

SCRIPT_PATH="$(readlink -f "${BASH_SOURCE[0]}")"
readonly SCRIPT_PATH
PROG="$(basename "$SCRIPT_PATH")"
readonly PROG

log() { printf '%s: %s\n' "$PROG" "$*" >&2; }
die() { printf '%s: error: %s\n' "$PROG" "$*" >&2; exit 1; }

usage() {
  cat <<EOF
Usage: $PROG [--only busybox|debian] [--force]

Builds (or reuses) the local test images:
  $BUSYBOX_IMAGE        (--only busybox)
  $DEBIAN_IMAGE   (--only debian)

  --only NAME   build just one image (busybox or debian)
  --force       rebuild even if an image with the current recipe exists
  -h, --help    show this help

Environment:
  PROEFTUIN_DEBIAN_MIRROR    Debian mirror URL to use instead of the one found
                             in the host's apt configuration
  PROEFTUIN_SECURITY_MIRROR  security mirror URL (same, for $DEBIAN_SUITE-security)
EOF
}

# ---------------------------------------------------------------- arguments --
ONLY=""
FORCE=0
while [ $# -gt 0 ]; do
  case "$1" in
    --only) [ $# -ge 2 ] || die "--only needs an argument (busybox or debian)"; ONLY="$2"; shift 2 ;;
    --only=*) ONLY="${1#--only=}"; shift ;;
    --force) FORCE=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument: $1" ;;
  esac
done
case "$ONLY" in
  ""|busybox|debian) ;;
  *) die "--only must be 'busybox' or 'debian', not '$ONLY'" ;;
esac

# -------------------------------------------------------------- privileges --
SUDO=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || die "must run as root (or with sudo available)"
  SUDO=(sudo)
fi

# -------------------------------------------------------- docker engine check --
command -v docker >/dev/null 2>&1 || die "docker CLI not found; install Docker first"
if ! DOCKER_VERSION="$(timeout 20 docker version --format '{{.Server.Version}} (API {{.Server.APIVersion}})' 2>&1)"; then
  die "the Docker engine does not answer (is dockerd running? can this user reach the socket?): ${DOCKER_VERSION##*$'\n'}"
fi

# ------------------------------------------------ lock, temp dir, cleanup ---
LOCK_FILE="${TMPDIR:-/tmp}/proeftuin-test-images.lock"
exec 9>>"$LOCK_FILE"
if ! flock -n 9; then
  log "another $PROG is running; waiting for it to finish"
  flock 9
fi

WORK="$(mktemp -d "${TMPDIR:-/tmp}/proeftuin-images.XXXXXX")"
RUN_ID="$$-$(date +%s)"

# mounts_below DIR: mount points strictly below DIR, deepest first.
mounts_below() {
  awk -v d="${1%/}/" 'index($2, d) == 1 { print $2 }' /proc/mounts | sort -r
}

unmount_below() {
  local m
  while read -r m; do
    "${SUDO[@]}" umount -l "$m" 2>/dev/null || true
  done < <(mounts_below "$1")
}

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  # Containers this run started (docker run --rm normally removes them).
  docker ps -aq --filter "label=$RUN_LABEL=$RUN_ID" 2>/dev/null \
    | xargs -r docker rm -f >/dev/null 2>&1 || true
  if [ -n "${WORK:-}" ] && [ -d "$WORK" ]; then
    # Never rm -rf through a leftover mount (debootstrap mounts /proc, /sys...
    # inside the target): unmount anything below $WORK first, deepest first.
    unmount_below "$WORK"
    "${SUDO[@]}" rm -rf --one-file-system "$WORK" || log "warning: could not remove $WORK"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ----------------------------------------------------------------- helpers --
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# Where the host's apt gets Debian from. Prints "URI SUITE" for every enabled
# "deb" entry in /etc/apt/sources.list, sources.list.d/*.list (one-line
# format) and sources.list.d/*.sources (deb822 format).
apt_source_entries() {
  local f
  local -a one_line=() deb822=()
  [ -f /etc/apt/sources.list ] && one_line+=(/etc/apt/sources.list)
  for f in /etc/apt/sources.list.d/*.list; do [ -f "$f" ] && one_line+=("$f"); done
  for f in /etc/apt/sources.list.d/*.sources; do [ -f "$f" ] && deb822+=("$f"); done
  if [ ${#one_line[@]} -gt 0 ]; then
    awk '
      { sub(/#.*/, "") }
      $1 == "deb" {
        line = $0
        sub(/^[ \t]*deb[ \t]+/, "", line)
        if (line ~ /^\[/) sub(/^\[[^]]*\][ \t]*/, "", line)
        n = split(line, a, /[ \t]+/)
        if (n >= 2) print a[1], a[2]
      }' "${one_line[@]}"
  fi
  if [ ${#deb822[@]} -gt 0 ]; then
    local f2
    for f2 in "${deb822[@]}"; do
      awk '
        function flush(  nu, ns, i, j, U, S) {
          if ((" " types " ") ~ / deb / && enabled !~ /^(no|false|0)$/) {
            nu = split(uris, U, /[ \t]+/); ns = split(suites, S, /[ \t]+/)
            for (i = 1; i <= nu; i++) for (j = 1; j <= ns; j++)
              if (U[i] != "" && S[j] != "") print U[i], S[j]
          }
          types = uris = suites = last = ""; enabled = "yes"
        }
        BEGIN { enabled = "yes" }
        /^#/ { next }
        /^[ \t]*$/ { flush(); next }
        /^[ \t]/ {
          v = $0; gsub(/^[ \t]+|[ \t]+$/, "", v)
          if (last == "types") types = types " " v
          else if (last == "uris") uris = uris " " v
          else if (last == "suites") suites = suites " " v
          next
        }
        {
          k = $0; sub(/:.*/, "", k); k = tolower(k)
          v = $0; sub(/^[^:]*:[ \t]*/, "", v); gsub(/[ \t]+$/, "", v)
          last = k
          if (k == "types") types = v
          else if (k == "uris") uris = v
          else if (k == "suites") suites = v
          else if (k == "enabled") enabled = tolower(v)
        }
        END { flush() }' "$f2"
    done
  fi
}

# Sets DEBIAN_MIRROR, HAS_UPDATES and SECURITY_MIRROR from the host's apt
# configuration (or the PROEFTUIN_*_MIRROR overrides).
resolve_mirrors() {
  local entries
  entries="$(apt_source_entries | awk '$1 ~ /^https?:\/\// { sub(/\/+$/, "", $1); print $1, $2 }')"
  DEBIAN_MIRROR="${PROEFTUIN_DEBIAN_MIRROR:-$(awk -v s="$DEBIAN_SUITE" '$2 == s { print $1; exit }' <<<"$entries")}"
  DEBIAN_MIRROR="${DEBIAN_MIRROR%/}"
  [ -n "$DEBIAN_MIRROR" ] || die "no http(s) apt source for suite '$DEBIAN_SUITE' in /etc/apt/sources.list{,.d/*.list,.d/*.sources}; set PROEFTUIN_DEBIAN_MIRROR"
  HAS_UPDATES=0
  if awk -v m="$DEBIAN_MIRROR" -v s="$DEBIAN_SUITE-updates" '$1 == m && $2 == s { f = 1 } END { exit !f }' <<<"$entries"; then
    HAS_UPDATES=1
  fi
  SECURITY_MIRROR="${PROEFTUIN_SECURITY_MIRROR:-$(awk -v s="$DEBIAN_SUITE-security" '$2 == s { print $1; exit }' <<<"$entries")}"
  SECURITY_MIRROR="${SECURITY_MIRROR%/}"
}

APT_UPDATED=0
apt_update_once() {
  [ "$APT_UPDATED" -eq 1 ] && return 0
  log "apt-get update"
  "${SUDO[@]}" apt-get update -qq >"$WORK/apt-update.log" 2>&1 \
    || { cat "$WORK/apt-update.log" >&2; die "apt-get update failed"; }
  APT_UPDATED=1
}

apt_lists_present() {
  compgen -G '/var/lib/apt/lists/*_Packages*' >/dev/null
}

# ensure_cmd COMMAND PACKAGE: install PACKAGE on the host if COMMAND is missing.
ensure_cmd() {
  command -v "$1" >/dev/null 2>&1 && return 0
  [ -x "/usr/sbin/$1" ] && return 0
  command -v apt-get >/dev/null 2>&1 || die "'$1' is missing and apt-get is not available to install '$2'"
  apt_lists_present || apt_update_once
  log "installing missing host package: $2"
  if ! "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$2" >"$WORK/apt-install-$2.log" 2>&1; then
    apt_update_once
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$2" >"$WORK/apt-install-$2.log" 2>&1 \
      || { cat "$WORK/apt-install-$2.log" >&2; die "could not install $2"; }
  fi
}

ARCH="$(dpkg --print-architecture)"
SCRIPT_SHA="$(sha256sum "$SCRIPT_PATH" | cut -d' ' -f1)"

# recipe_hash NAME EXTRA...: hash of everything an image is built from: this
# script (which contains the Dockerfile, package lists and build steps), the
# image name, the architecture and any extra inputs (mirror URLs).
recipe_hash() {
  printf '%s\n' "script=$SCRIPT_SHA" "image=$1" "arch=$ARCH" "${@:2}" | sha256sum | cut -d' ' -f1
}

image_label() {
  docker image inspect --format "{{index .Config.Labels \"$RECIPE_LABEL\"}}" "$1" 2>/dev/null || true
}

image_id() {
  docker image inspect --format '{{.Id}}' "$1" 2>/dev/null || true
}

# can_reuse IMAGE HASH: true if IMAGE exists with the same recipe label.
can_reuse() {
  [ "$FORCE" -eq 0 ] && [ "$(image_label "$1")" = "$2" ]
}

# drop_replaced OLD_ID: remove the image a rebuild replaced, if now untagged.
drop_replaced() {
  local old="$1" new="$2"
  [ -n "$old" ] && [ "$old" != "$new" ] || return 0
  if [ -z "$(docker image inspect --format '{{join .RepoTags ""}}' "$old" 2>/dev/null)" ]; then
    docker rmi "$old" >/dev/null 2>&1 || true
  fi
}

# fail_verify IMAGE MESSAGE: untag a freshly built image that fails its check
# so the next run does not reuse it.
fail_verify() {
  docker rmi "$1" >/dev/null 2>&1 || true
  die "$1: verification failed: $2"
}

drun() { docker run --rm --label "$RUN_LABEL=$RUN_ID" "$@"; }

# ----------------------------------------------------------------- busybox --
build_busybox() {
  local hash old_id start dir ctx deb out
  hash="$(recipe_hash "$BUSYBOX_IMAGE")"
  if can_reuse "$BUSYBOX_IMAGE" "$hash"; then
    echo "$BUSYBOX_IMAGE: reused (recipe ${hash:0:12})"
    return 0
  fi
  start="$(now)"
  old_id="$(image_id "$BUSYBOX_IMAGE")"
  log "$BUSYBOX_IMAGE: building"

  # Fetch busybox-static without installing it on the host.
  dir="$WORK/busybox"
  mkdir -p "$dir/dl" "$dir/pkg"
  # apt-get download drops privileges to _apt when run as root.
  if [ "$(id -u)" -eq 0 ] && id _apt >/dev/null 2>&1; then chown _apt "$dir/dl"; fi
  apt_lists_present || apt_update_once
  if ! (cd "$dir/dl" && "${SUDO[@]}" apt-get download -qq busybox-static >"$dir/download.log" 2>&1); then
    apt_update_once
    (cd "$dir/dl" && "${SUDO[@]}" apt-get download -qq busybox-static >"$dir/download.log" 2>&1) \
      || { cat "$dir/download.log" >&2; die "apt-get download busybox-static failed"; }
  fi
  deb="$(compgen -G "$dir/dl/busybox-static_*.deb" | head -n1)"
  [ -n "$deb" ] || die "busybox-static .deb not found after download"
  dpkg-deb -x "$deb" "$dir/pkg"
  [ -x "$dir/pkg/bin/busybox" ] || die "busybox-static package has no /bin/busybox"
  log "$BUSYBOX_IMAGE: using $(basename "$deb")"

  # Build context: a tiny root filesystem plus the Dockerfile.
  ctx="$dir/ctx"
  mkdir -p "$ctx/rootfs/bin" "$ctx/rootfs/etc" "$ctx/rootfs/tmp" "$ctx/rootfs/root"
  install -m 0755 "$dir/pkg/bin/busybox" "$ctx/rootfs/bin/busybox"
  chmod 1777 "$ctx/rootfs/tmp"
  chmod 0700 "$ctx/rootfs/root"
  cat >"$ctx/rootfs/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
EOF
  cat >"$ctx/rootfs/etc/group" <<'EOF'
root:x:0:
nobody:x:65534:
EOF
  chmod 0644 "$ctx/rootfs/etc/passwd" "$ctx/rootfs/etc/group"
  cat >"$ctx/Dockerfile" <<'EOF'
FROM scratch
COPY rootfs/ /
RUN ["/bin/busybox", "--install", "-s", "/bin"]
ENV PATH=/bin
CMD ["sh"]
EOF

  # Classic builder: needs no BuildKit frontend image (there is no registry),
  # and --force-rm removes intermediate containers even on failure.
  local -a nocache=()
  [ "$FORCE" -eq 1 ] && nocache=(--no-cache)
  if ! DOCKER_BUILDKIT=0 docker build --force-rm -q "${nocache[@]}" \
      --label "$RECIPE_LABEL=$hash" -t "$BUSYBOX_IMAGE" "$ctx" >"$dir/build.log" 2>&1; then
    cat "$dir/build.log" >&2
    die "$BUSYBOX_IMAGE: docker build failed"
  fi

  out="$(drun "$BUSYBOX_IMAGE" sh -c 'echo ok' 2>&1)" || fail_verify "$BUSYBOX_IMAGE" "$out"
  [ "$out" = "ok" ] || fail_verify "$BUSYBOX_IMAGE" "expected 'ok', got: $out"
  # shellcheck disable=SC2016 # expanded by the container's sh
  out="$(drun "$BUSYBOX_IMAGE" sh -c 'for a in httpd nc wget; do [ -x /bin/$a ] || { echo "missing applet $a"; exit 1; }; done' 2>&1)" \
    || fail_verify "$BUSYBOX_IMAGE" "$out"

  drop_replaced "$old_id" "$(image_id "$BUSYBOX_IMAGE")"
  echo "$BUSYBOX_IMAGE: built in $(elapsed "$start")s (recipe ${hash:0:12})"
}

# ------------------------------------------------------------------ debian --
build_debian() {
  local hash old_id start t dir rootfs out sources
  resolve_mirrors
  sources="deb $DEBIAN_MIRROR $DEBIAN_SUITE main"
  [ "$HAS_UPDATES" -eq 1 ] && sources+=$'\n'"deb $DEBIAN_MIRROR $DEBIAN_SUITE-updates main"
  [ -n "$SECURITY_MIRROR" ] && sources+=$'\n'"deb $SECURITY_MIRROR $DEBIAN_SUITE-security main"

  hash="$(recipe_hash "$DEBIAN_IMAGE" "$sources")"
  if can_reuse "$DEBIAN_IMAGE" "$hash"; then
    echo "$DEBIAN_IMAGE: reused (recipe ${hash:0:12})"
    return 0
  fi
  start="$(now)"
  old_id="$(image_id "$DEBIAN_IMAGE")"
  log "$DEBIAN_IMAGE: building from $DEBIAN_MIRROR"

  ensure_cmd debootstrap debootstrap
  dir="$WORK/debian"
  rootfs="$dir/rootfs"
  mkdir -p "$rootfs"

  t="$(now)"
  if ! "${SUDO[@]}" debootstrap --variant=minbase --arch="$ARCH" --components=main \
      --include="$DEBIAN_INCLUDE" "$DEBIAN_SUITE" "$rootfs" "$DEBIAN_MIRROR" \
      >"$dir/debootstrap.log" 2>&1; then
    tail -n 30 "$dir/debootstrap.log" >&2
    [ -f "$rootfs/debootstrap/debootstrap.log" ] && tail -n 30 "$rootfs/debootstrap/debootstrap.log" >&2
    die "$DEBIAN_IMAGE: debootstrap failed"
  fi
  log "$DEBIAN_IMAGE: debootstrap took $(elapsed "$t")s"

  # debootstrap unmounts /proc, /sys... itself; make sure, since the next
  # step deletes files inside the target.
  unmount_below "$rootfs"
  [ -z "$(mounts_below "$rootfs")" ] || die "$DEBIAN_IMAGE: cannot unmount $(mounts_below "$rootfs" | head -n1)"

  # Configure and trim the root filesystem.
  "${SUDO[@]}" bash -euo pipefail -s "$rootfs" "$sources" <<'EOF'
r="$1"; sources="$2"
# apt inside containers uses the same mirror as the host.
printf '%s\n' "$sources" >"$r/etc/apt/sources.list"
rm -f "$r"/etc/apt/sources.list.d/*
# Keep future installs small, like Debian's -slim images.
cat >"$r/etc/dpkg/dpkg.cfg.d/proeftuin-slim" <<'CFG'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/lintian/*
path-exclude /usr/share/linda/*
CFG
cat >"$r/etc/apt/apt.conf.d/proeftuin-docker" <<'CFG'
APT::Install-Recommends "false";
APT::Install-Suggests "false";
Acquire::GzipIndexes "true";
Acquire::Languages "none";
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
CFG
find "$r/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete 2>/dev/null || true
find "$r/usr/share/doc" -mindepth 1 -type d -empty -delete 2>/dev/null || true
rm -rf "$r"/usr/share/man/* "$r"/usr/share/info/* "$r"/usr/share/lintian/*
# apt caches, lists and logs.
rm -rf "$r"/var/cache/apt/archives/*.deb "$r"/var/cache/apt/archives/partial/* \
       "$r"/var/cache/apt/*.bin "$r"/var/lib/apt/lists/* "$r"/var/cache/debconf/*-old \
       "$r"/var/lib/dpkg/*-old "$r"/var/log/apt/* "$r"/var/log/dpkg.log "$r"/var/log/alternatives.log \
       "$r"/var/log/bootstrap.log
mkdir -p "$r/var/lib/apt/lists/partial"
# Docker provides these at run time; do not bake in the build host's.
: >"$r/etc/resolv.conf"
: >"$r/etc/hostname"
rm -f "$r/etc/machine-id"; : >"$r/etc/machine-id"
rm -rf --one-file-system "$r"/dev/* "$r"/proc/* "$r"/sys/* "$r"/run/* "$r"/tmp/* "$r"/var/tmp/*
EOF

  t="$(now)"
  if ! "${SUDO[@]}" tar --numeric-owner -C "$rootfs" -c . \
      | docker import --message "proeftuin $DEBIAN_SUITE minbase" \
          --change 'CMD ["/bin/bash"]' \
          --change "LABEL $RECIPE_LABEL=$hash" \
          - "$DEBIAN_IMAGE" >"$dir/import.log" 2>&1; then
    cat "$dir/import.log" >&2
    die "$DEBIAN_IMAGE: docker import failed"
  fi
  log "$DEBIAN_IMAGE: import took $(elapsed "$t")s"

  out="$(drun "$DEBIAN_IMAGE" sh -c 'curl --version >/dev/null && nc -h 2>&1 | head -1' 2>&1)" \
    || fail_verify "$DEBIAN_IMAGE" "$out"
  case "$out" in
    *OpenBSD*) ;;
    *) fail_verify "$DEBIAN_IMAGE" "unexpected 'nc -h' output: $out" ;;
  esac

  drop_replaced "$old_id" "$(image_id "$DEBIAN_IMAGE")"
  echo "$DEBIAN_IMAGE: built in $(elapsed "$start")s (recipe ${hash:0:12})"
}

# -------------------------------------------------------------------- main --
log "Docker engine $DOCKER_VERSION"
if [ -z "$ONLY" ] || [ "$ONLY" = busybox ]; then build_busybox; fi
if [ -z "$ONLY" ] || [ "$ONLY" = debian ]; then build_debian; fi
