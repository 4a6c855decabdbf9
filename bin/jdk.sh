# Sourced by bin/* scripts: exports JAVA_HOME pointing at a JDK >= 21.
# The machine default java may be 17; we look at $JAVA_HOME first, then every JDK under /usr/lib/jvm.
_jdk_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}' | cut -d. -f1
}
_pick_jdk() {
  local candidate major
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/javac" ] || continue
    major=$(_jdk_major "$candidate")
    if [ -n "$major" ] && [ "$major" -ge 21 ] 2>/dev/null; then echo "$candidate"; return 0; fi
  done
  return 1
}
if ! JAVA_HOME=$(_pick_jdk); then
  echo "error: no JDK >= 21 found (looked at \$JAVA_HOME and /usr/lib/jvm/*). Install one or set JAVA_HOME." >&2
  exit 1
fi
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"
echo "Using JDK $(_jdk_major "$JAVA_HOME") at $JAVA_HOME" >&2
