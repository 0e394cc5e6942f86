#!/usr/bin/env bash
# Compares `sysext create containerd VERSION` from an empty cache with the sysext-bakery's shell
# pipeline doing the same work, both downloading from the same loopback HTTP server.
#
# The upstream is synthesized here, once (default bench-work/create-upstream, which git ignores):
#   gh/containerd/containerd/releases/download/vVERSION/containerd-static-VERSION-linux-amd64.tar.gz
#       bin/{containerd,containerd-shim-runc-v2,containerd-stress,ctr}: slices of this machine's
#       real binaries (the JDK's libjvm.so and other lib/*.so, then the largest files of /usr/bin)
#       of 38, 9, 16 and 16 MiB, so that the payload compresses like real Go binaries;
#       and its .sha256sum
#   gh/opencontainers/runc/releases/download/RUNC/runc.amd64 (10 MiB, the next slice), its detached
#       signature runc.amd64.asc and the clear-signed runc.sha256sum, made with a throwaway RSA 4096
#       key (a temporary GNUPGHOME) that sysext is given with --keyring
#   raw/containerd/containerd/refs/tags/vVERSION/script/setup/runc-version
# served by `python3 -m http.server` bound to 127.0.0.1 (a port the kernel picks), or, without
# python3, by a few lines of Java on the JDK's com.sun.net.httpserver. sysext reaches it with
#   --rewrite-url https://github.com/=http://127.0.0.1:PORT/gh/
#   --rewrite-url https://raw.githubusercontent.com/=http://127.0.0.1:PORT/raw/
#   --rewrite-url https://api.github.com/=http://127.0.0.1:PORT/api/   (not expected to be used)
#
# The two sides, doing the same work:
#   sysext   sysext create containerd VERSION --keyring KEY --cache EMPTY-DIR -o DIR --epoch 0
#            (gzip level 9, 128 KiB blocks, all root, threads = CPUs: its defaults); it also checks
#            runc's two OpenPGP signatures, which the bakery does not
#   bakery   curl the tarball and its .sha256sum, sha256sum -c; curl runc.amd64 and runc.sha256sum,
#            sha256sum --ignore-missing -c; tar -xf the tarball into a staging root (bin/ into
#            usr/bin/); cp runc, the recipe's static files (units, configs) and an extension-release
#            file; mksquashfs ROOT IMG -all-root -noappend (gzip level 9, 128 KiB blocks, threads =
#            CPUs: its defaults), as a bash script
# Both run alternately (sysext first in odd rounds, the bakery first in even rounds, so that drift
# on a shared machine hits both), each from a fresh empty cache and output directory, under GNU
# `/usr/bin/time -v`. The table gives the medians of wall time, CPU time (user + sys) and peak RSS,
# and the ratios sysext/bakery. The bakery's peak RSS is that of its largest process (mksquashfs).
# The JVM options of ./sysext come from SYSEXT_JAVA_OPTS, e.g. a JFR recording.
set -euo pipefail

here=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
repo=$(cd "$here/.." && pwd)

usage() {
  cat <<EOF
usage: benchmarks/create-compare.sh [options]
  --rounds N          rounds per side; the table shows medians (default: 3)
  --version V         the containerd version to publish and build (default: 2.2.0)
  --keep-images       keep the first round's images (default: deleted once checked)
  --work DIR          work directory for the upstream, images and results (default: $repo/bench-work)
  -h, --help          this help
Needs: mksquashfs, unsquashfs, curl, sha256sum, gpg, GNU time (/usr/bin/time; apt-get install -y
time), java, python3 (optional), and a build: mvn -B -q package -DskipTests
EOF
}

die() { echo "create-compare: error: $*" >&2; exit 2; }

rounds=3
version=2.2.0
runc_version=v1.3.3
keep_images=false
work=$repo/bench-work
while (($#)); do
  case $1 in
    --rounds) rounds=${2:?--rounds needs a number}; shift 2 ;;
    --version) version=${2:?--version needs a version}; shift 2 ;;
    --keep-images) keep_images=true; shift ;;
    --work) work=${2:?--work needs a directory}; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown option '$1'" ;;
  esac
done
[[ $rounds =~ ^[1-9][0-9]*$ ]] || die "--rounds '$rounds' is not a positive number"
[[ $version =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || die "--version '$version' is not X.Y.Z"

# Prerequisites.
for tool in mksquashfs unsquashfs curl sha256sum gpg java; do
  command -v "$tool" >/dev/null || die "$tool is missing"
done
[[ -x /usr/bin/time && $(/usr/bin/time -v true 2>&1) == *'Maximum resident set size'* ]] \
  || die "GNU time is missing at /usr/bin/time (apt-get install -y time)"
"$repo/sysext" create --help >/dev/null 2>&1 \
  || die "'$repo/sysext create' is not available; build first: mvn -B -q package -DskipTests"
if [[ -z ${JAVA_HOME:-} ]]; then
  JAVA_HOME=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
fi
[[ -d $JAVA_HOME/lib ]] || die "JAVA_HOME=$JAVA_HOME does not look like a JDK"
files=$repo/sysext-catalog/src/main/resources/recipes/containerd/files
[[ -d $files ]] || die "$files is missing (the containerd recipe's static files)"

# The upstream: built once, reused while its stamp (the version, the runc version, the JDK) matches.
upstream=$work/create-upstream
stamp="$version $runc_version $JAVA_HOME"
tarball_name=containerd-static-$version-linux-amd64.tar.gz
containerd_dir=$upstream/gh/containerd/containerd/releases/download/v$version
runc_dir=$upstream/gh/opencontainers/runc/releases/download/$runc_version
if [[ ! -f $upstream.complete || $(cat "$upstream.complete") != "$stamp" ]]; then
  echo "create-compare: building the upstream in $upstream"
  rm -rf "$upstream" "$upstream.complete"
  mkdir -p "$containerd_dir" "$runc_dir" "$upstream/raw/containerd/containerd/refs/tags/v$version/script/setup" \
    "$upstream/stage/bin"
  # One stream of real binaries, cut into consecutive slices (so that no two files are duplicates).
  pool=$upstream/pool
  # head closes the pipe once it has enough: the writers' SIGPIPE is expected there.
  set +o pipefail
  {
    find "$JAVA_HOME/lib" -name '*.so' -type f -printf '%s %p\n'
    find /usr/bin -maxdepth 1 -type f -size +1024k -printf '%s %p\n'
  } | sort -k1,1nr -k2 | cut -d' ' -f2- | while IFS= read -r f; do cat "$f"; done | head -c $((100 << 20)) >"$pool"
  set -o pipefail
  (($(stat -c %s "$pool") == 100 << 20)) || die "this machine has less than 100 MiB of binaries to build the payload from"
  offset=0
  slice() { # FILE MiB
    dd if="$pool" of="$1" bs=1M skip="$offset" count="$2" status=none
    chmod 755 "$1"
    offset=$((offset + $2))
  }
  slice "$upstream/stage/bin/containerd" 38
  slice "$upstream/stage/bin/containerd-shim-runc-v2" 9
  slice "$upstream/stage/bin/containerd-stress" 16
  slice "$upstream/stage/bin/ctr" 16
  slice "$runc_dir/runc.amd64" 10
  rm -f "$pool"
  tar -C "$upstream/stage" --owner=0 --group=0 -czf "$containerd_dir/$tarball_name" bin
  rm -rf "$upstream/stage"
  (cd "$containerd_dir" && sha256sum "$tarball_name" >"$tarball_name.sha256sum")
  echo "$runc_version" >"$upstream/raw/containerd/containerd/refs/tags/v$version/script/setup/runc-version"
  # A throwaway signing key, in a GNUPGHOME of its own.
  gnupg=$(mktemp -d)
  GNUPGHOME=$gnupg gpg --batch --quiet --passphrase '' --quick-gen-key \
    'sysext benchmark runc key <bench@example.invalid>' rsa4096 sign never 2>/dev/null
  GNUPGHOME=$gnupg gpg --batch --quiet --armor --export >"$upstream/runc-bench.keyring"
  (
    cd "$runc_dir"
    sha256sum runc.amd64 | sed 's/ \*\?runc\.amd64$/ runc.amd64/' >runc.sha256sum.plain
    # runc publishes the sums of several architectures; the bakery checks only its own.
    echo "$(printf 'arm64' | sha256sum | cut -d' ' -f1)  runc.arm64" >>runc.sha256sum.plain
    GNUPGHOME=$gnupg gpg --batch --quiet --armor --detach-sign -o runc.amd64.asc runc.amd64
    GNUPGHOME=$gnupg gpg --batch --quiet --clearsign -o runc.sha256sum runc.sha256sum.plain
    rm -f runc.sha256sum.plain
  )
  gpgconf --homedir "$gnupg" --kill all 2>/dev/null || true
  rm -rf "$gnupg"
  echo "$stamp" >"$upstream.complete"
fi

# The loopback server.
results=$work/results/create-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$results"
server_pid=
stop_server() { if [[ -n $server_pid ]]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi; }
trap stop_server EXIT
server_log=$results/server.log
if command -v python3 >/dev/null; then
  python3 -u -m http.server --bind 127.0.0.1 --directory "$upstream" 0 >"$server_log" 2>&1 &
  server_pid=$!
else
  # JDK 17 has no jwebserver (JDK 18+), but it has com.sun.net.httpserver.
  cat >"$results/Serve.java" <<'EOF'
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

public class Serve {
    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]).toRealPath();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.createContext("/", exchange -> {
            Path file = root.resolve(exchange.getRequestURI().getPath().substring(1)).normalize();
            if (!file.startsWith(root) || !Files.isRegularFile(file)) {
                exchange.sendResponseHeaders(404, -1);
            } else {
                exchange.sendResponseHeaders(200, Files.size(file));
                try (var out = exchange.getResponseBody()) { Files.copy(file, out); }
            }
            exchange.close();
        });
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
        server.start();
        System.out.println("Serving HTTP on 127.0.0.1 port " + server.getAddress().getPort() + " (Serve.java)");
    }
}
EOF
  java "$results/Serve.java" "$upstream" >"$server_log" 2>&1 &
  server_pid=$!
fi
port=
for _ in $(seq 100); do
  port=$(sed -n 's/^Serving HTTP on .* port \([0-9][0-9]*\).*/\1/p' "$server_log" | head -n1)
  [[ -n $port ]] && break
  kill -0 "$server_pid" 2>/dev/null || die "the loopback server failed: $(cat "$server_log")"
  sleep 0.1
done
[[ -n $port ]] || die "the loopback server did not start: $(cat "$server_log")"
base=http://127.0.0.1:$port
curl -fsS -o /dev/null "$base/gh/containerd/containerd/releases/download/v$version/$tarball_name.sha256sum" \
  || die "the loopback server does not serve the upstream"

# The bakery's pipeline, as a script of its own (what /usr/bin/time measures).
bakery=$results/bakery.sh
cat >"$bakery" <<EOF
#!/usr/bin/env bash
# The sysext-bakery's steps for containerd $version, against the loopback upstream.
set -euo pipefail
out=\$1 image=\$2
mkdir -p "\$out/dl" "\$out/root/usr/bin"
cd "\$out/dl"
curl -fsSL -o "$tarball_name" "$base/gh/containerd/containerd/releases/download/v$version/$tarball_name"
curl -fsSL -o "$tarball_name.sha256sum" "$base/gh/containerd/containerd/releases/download/v$version/$tarball_name.sha256sum"
sha256sum -c "$tarball_name.sha256sum"
curl -fsSL -o runc.amd64 "$base/gh/opencontainers/runc/releases/download/$runc_version/runc.amd64"
curl -fsSL -o runc.sha256sum "$base/gh/opencontainers/runc/releases/download/$runc_version/runc.sha256sum"
sha256sum --ignore-missing -c runc.sha256sum
tar --force-local -xf "$tarball_name" -C "\$out/root/usr"
cp runc.amd64 "\$out/root/usr/bin/runc"
chmod 755 "\$out/root/usr/bin/runc"
mkdir -p "\$out/root/usr/lib/systemd/system/multi-user.target.d" "\$out/root/usr/share/containerd" \
  "\$out/root/usr/lib/extension-release.d"
cp "$files/usr/lib/systemd/system/containerd.service" "\$out/root/usr/lib/systemd/system/"
cp "$files/usr/lib/systemd/system/multi-user.target.d/10-containerd.conf" "\$out/root/usr/lib/systemd/system/multi-user.target.d/"
cp "$files/usr/share/containerd/config-v3.toml" "\$out/root/usr/share/containerd/config.toml"
cp "$files/usr/share/containerd/config-v3-cgroupfs.toml" "\$out/root/usr/share/containerd/config-cgroupfs.toml"
echo ID=_any >"\$out/root/usr/lib/extension-release.d/extension-release.containerd"
mksquashfs "\$out/root" "\$image" -all-root -noappend -no-progress -quiet
EOF
chmod +x "$bakery"

payload=$(tar -tvzf "$containerd_dir/$tarball_name" | awk '{s += $3} END {print s}')
payload=$((payload + $(stat -c %s "$runc_dir/runc.amd64")))
{
  echo "date:       $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
  echo "machine:    $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), load $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "mksquashfs: $(mksquashfs -version 2>&1 | head -n1)"
  echo "java:       $(java -version 2>&1 | head -n1)"
  echo "server:     $(head -n1 "$server_log")"
  echo "upstream:   containerd $version (tarball $(stat -c %s "$containerd_dir/$tarball_name") bytes), runc $runc_version; payload $(awk -v b="$payload" 'BEGIN {printf "%.1f MiB", b / 1048576}')"
  echo "rounds:     $rounds"
} | tee "$results/about.txt"

echo "create-compare: warming the page cache"
cat "$containerd_dir/$tarball_name" "$runc_dir/runc.amd64" >/dev/null

runs=$results/runs.tsv
: >"$runs"
images=$work/create-images
mkdir -p "$images"

# Runs one side once, from an empty cache and output directory, and appends its line to runs.tsv.
measure() {
  local side=$1 round=$2 status=0 size=0 image scratch=$work/create-scratch
  local name=$side.$round
  rm -rf "$scratch"
  mkdir -p "$scratch"
  image=$images/$name.raw
  rm -f "$image"
  local cmd
  if [[ $side == bakery ]]; then
    cmd=("$bakery" "$scratch" "$image")
  else
    cmd=("$repo/sysext" create containerd "$version" --keyring "$upstream/runc-bench.keyring"
      --cache "$scratch/cache" -o "$scratch/out" --epoch 0
      --rewrite-url "https://github.com/=$base/gh/"
      --rewrite-url "https://raw.githubusercontent.com/=$base/raw/"
      --rewrite-url "https://api.github.com/=$base/api/")
  fi
  /usr/bin/time -v -o "$results/$name.time" "${cmd[@]}" >"$results/$name.log" 2>&1 || status=$?
  if [[ $side == sysext && -f $scratch/out/containerd-$version-x86-64.raw ]]; then
    mv "$scratch/out/containerd-$version-x86-64.raw" "$image"
  fi
  [[ -f $image ]] && size=$(stat -c %s "$image")
  rm -rf "$scratch"
  local wall user sys rss
  wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$results/$name.time" \
    | awk -F: '{s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s}')
  user=$(sed -n 's/.*User time (seconds): //p' "$results/$name.time")
  sys=$(sed -n 's/.*System time (seconds): //p' "$results/$name.time")
  rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$results/$name.time")
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$side" "$round" "$status" "$size" "$wall" \
    "$(awk -v u="$user" -v s="$sys" 'BEGIN {print u + s}')" "$rss" >>"$runs"
  printf 'create-compare: %-7s round %d: %6.2f s wall, %6.2f CPU s, %4d MiB, exit %d, %d bytes\n' \
    "$side" "$round" "$wall" "$(awk -v u="$user" -v s="$sys" 'BEGIN {print u + s}')" $((rss / 1024)) "$status" "$size"
  if ((status != 0)); then
    echo "create-compare: $side failed; its output is in $results/$name.log:" >&2
    tail -n 5 "$results/$name.log" >&2
  fi
}

# The two images must hold the same files (modes, sizes), but for what only sysext writes: its build
# manifest (usr/share/sysext/) and a longer extension-release file; directory sizes are not compared.
listing() {
  unsquashfs -lls "$1" | awk '{print $1, ($1 ~ /^d/ ? "-" : $3), $NF}' | sed 's| squashfs-root| |' \
    | grep -v ' /usr/share/sysext' | sed 's|^\(.*\) [0-9]* \(/usr/lib/extension-release.d/.*\)|\1 \2|' | sort
}
check_equivalent() {
  local a=$images/bakery.1.raw b=$images/sysext.1.raw
  [[ -f $a && -f $b ]] || return 0
  if ! diff <(listing "$a") <(listing "$b") >"$results/files.diff"; then
    echo "create-compare: WARNING: the images list different files, modes or sizes ($results/files.diff)" \
      | tee -a "$results/about.txt"
  fi
}

for ((r = 1; r <= rounds; r++)); do
  order=(sysext bakery)
  if ((r % 2 == 0)); then order=(bakery sysext); fi
  for side in "${order[@]}"; do measure "$side" "$r"; done
  if ((r == 1)); then check_equivalent; fi
  if ! $keep_images || ((r > 1)); then rm -f "$images"/*."$r".raw; fi
done

echo
cat "$results/about.txt"
echo
# Medians per side (of wall, CPU, RSS separately) and the ratios sysext/bakery.
awk -F'\t' '
  function median(list, n,   a, i, j, t) {
    n = split(list, a, " ")
    for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j - 1] + 0 > a[j] + 0; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  { if ($3 != 0) failed[$1]++; wall[$1] = wall[$1] " " $5; cpu[$1] = cpu[$1] " " $6; rss[$1] = rss[$1] " " $7 }
  END {
    printf "%-8s %10s %10s %10s %8s\n", "side", "wall s", "CPU s", "RSS MiB", "failed"
    for (s = 1; s <= 2; s++) {
      side = s == 1 ? "sysext" : "bakery"
      w[side] = median(wall[side]); c[side] = median(cpu[side]); m[side] = median(rss[side]) / 1024
      printf "%-8s %10.2f %10.2f %10.0f %8d\n", side, w[side], c[side], m[side], failed[side]
    }
    if (w["bakery"] > 0 && c["bakery"] > 0 && m["bakery"] > 0)
      printf "%-8s %9.2fx %9.2fx %9.2fx\n", "ratio", w["sysext"] / w["bakery"], c["sysext"] / c["bakery"], m["sysext"] / m["bakery"]
  }' "$runs" | tee "$results/table.txt"
echo
echo "create-compare: runs, time reports and logs are in $results"
if $keep_images; then echo "create-compare: first-round images are in $images"; fi
