# Sourced by the install scripts of our own small Go programs (scripts/<name>/: main package,
# go.mod and go.sum as the pin). `install_go_program NAME SOURCE_DIR NOTE` builds it into
# .tools/bin/NAME (git-ignored) unless the binary there was built from exactly these sources: a
# stamp beside it holds their hash. Go's build and module caches keep a rebuild short.
install_go_program() {
  local name="$1" src="$2" note="$3"
  local bin_dir binary stamp sources
  bin_dir="$(cd "$src/../.." && pwd)/.tools/bin"
  binary="$bin_dir/$name"
  stamp="$binary.sources-sha256"
  sources="$(cd "$src" && cat go.mod go.sum ./*.go | sha256sum | cut -d' ' -f1)"
  if [ -x "$binary" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$sources" ]; then
    return 0
  fi
  if ! command -v go >/dev/null 2>&1; then
    echo "install-$name: Go is required to build $src (https://go.dev/dl)." >&2
    return 1
  fi
  echo "install-$name: building $src into $bin_dir$note" >&2
  mkdir -p "$bin_dir"
  # -mod=readonly: go.mod and go.sum as committed, never rewritten; -trimpath: no local paths.
  (cd "$src" && go build -mod=readonly -trimpath -buildvcs=false -o "$binary.partial" .)
  mv "$binary.partial" "$binary"
  echo "$sources" > "$stamp"
  echo "install-$name: installed $binary" >&2
}
