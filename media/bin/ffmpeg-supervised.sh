#!/bin/sh
# Runs ffmpeg under a watchdog so that no ffmpeg outlives the Argus server, even after kill -9 (docs/design/recording.md).
#
# Process chain (all on Linux, one tiny dash per ffmpeg):
#   server ──spawn──> this script ──exec──> setpriv --pdeathsig USR1 ──exec──> setsid ──exec──> this script --watch
#                                                                              (the watchdog, same pid throughout)
#   watchdog ──fork──> setpriv --pdeathsig KILL ──exec──> ffmpeg (stdin, stdout, stderr and an optional fd 3: the server's pipes)
#
# - The server dies (even by SIGKILL): the kernel sends the watchdog SIGUSR1; it sends ffmpeg SIGTERM (ffmpeg closes its
#   segment and exits) and SIGKILL when ffmpeg is still there ARGUS_FFMPEG_KILL_AFTER_S (5) seconds later (a stalled
#   shutdown: an input or output blocked in a read or write). Then the watchdog exits: it outlives the server by at most
#   that bound.
# - The server died before the watchdog armed its death signal: its parent is no longer the server, it starts nothing.
# - The watchdog dies (only SIGKILL can kill it): the kernel SIGKILLs ffmpeg. So no ffmpeg runs without its watchdog.
# - setsid: the watchdog and ffmpeg are their own process group, so a terminal's Ctrl-C or a signal to the server's group
#   never reaches ffmpeg as a second signal beside the server's 'q' (ffmpeg takes a second signal as "exit at once" and
#   abandons the segment it is closing). The server signals the group (TERM: ffmpeg only, the watchdog ignores it; KILL:
#   both). TERM, INT and HUP from anyone are ignored by the watchdog.
# - ffmpeg's own exit status is the watchdog's exit status.
set -u

if [ "${1-}" != "--watch" ]; then
  exec setpriv --pdeathsig USR1 -- setsid -- /bin/sh "$0" --watch "$PPID" "$@"
fi
server_pid=$2
shift 2
# The death signal is armed now; if the server is already gone, nobody would ever stop ffmpeg: start nothing.
[ "$PPID" = "$server_pid" ] || exit 70

kill_after_ds=$(( ${ARGUS_FFMPEG_KILL_AFTER_S:-5} * 10 ))
ff=
trap : TERM INT HUP

is_running() { # ffmpeg exists and is not a zombie (a zombie answers kill -0)
  state=
  read -r _ _ state _ 2>/dev/null < "/proc/$ff/stat" || return 1
  [ "$state" != Z ]
}

server_died() {
  [ -n "$ff" ] || exit 70
  is_running || return 0
  kill -TERM "$ff" 2>/dev/null
  n=0
  while [ "$n" -lt "$kill_after_ds" ] && is_running; do
    sleep 0.1
    n=$((n + 1))
  done
  is_running && kill -KILL "$ff" 2>/dev/null
  return 0
}
trap server_died USR1

# An asynchronous command would get /dev/null as stdin: give ffmpeg the server's pipe (its 'q' stops ffmpeg gracefully).
# The copy is kept on fd 9: fd 3, when the server opened it (a source's bytes, `-i pipe:3`), passes to ffmpeg untouched
# through every exec above; the watchdog then closes its own copy, so that the end of ffmpeg is the end of the pipe.
exec 9<&0
setpriv --pdeathsig KILL -- "${ARGUS_FFMPEG_BIN:-ffmpeg}" "$@" 0<&9 9<&- &
ff=$!
exec 9<&- 3<&-

# A trapped signal interrupts wait: wait again until ffmpeg is reaped (then /proc/<pid> is gone).
while :; do
  wait "$ff"
  code=$?
  [ -e "/proc/$ff" ] || break
done
exit "$code"
