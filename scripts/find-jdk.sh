# Sourced by ./hyperj and .ci/run: exports JAVA_HOME pointing at a JDK >= 21 (the newest found
# wins among /usr/lib/jvm, because JDK 25's ChaCha20-Poly1305 is twice as fast as 17's).
# Order: $JAVA_HOME, then `java` on PATH, then /usr/lib/jvm/*.

_hyperj_java_major() { # $1 = java binary; prints its major version or nothing
  "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}' | cut -d. -f1
}

_hyperj_ok_home() { # $1 = candidate JAVA_HOME; true if it has java and javac >= 21
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 1
  local v; v=$(_hyperj_java_major "$1/bin/java")
  [ -n "$v" ] && [ "$v" -ge 21 ] 2>/dev/null
}

hyperj_find_jdk() {
  if [ -n "${JAVA_HOME:-}" ] && _hyperj_ok_home "$JAVA_HOME"; then export JAVA_HOME; return 0; fi
  if command -v java >/dev/null 2>&1; then
    local home; home=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
    if _hyperj_ok_home "$home"; then export JAVA_HOME="$home"; return 0; fi
  fi
  local best="" bestv=0 d v
  for d in /usr/lib/jvm/*; do
    [ -d "$d" ] || continue
    _hyperj_ok_home "$d" || continue
    v=$(_hyperj_java_major "$d/bin/java")
    if [ "$v" -gt "$bestv" ]; then best="$d"; bestv="$v"; fi
  done
  if [ -n "$best" ]; then export JAVA_HOME="$best"; return 0; fi
  echo "hyperj: no JDK 21 or newer found (looked at JAVA_HOME, java on PATH, /usr/lib/jvm/*)." >&2
  echo "hyperj: install one, e.g. 'apt-get install openjdk-21-jdk' (or Temurin 21/25), or set JAVA_HOME." >&2
  return 1
}
