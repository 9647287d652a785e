#!/bin/sh
# Runs ffmpeg so that it gets SIGTERM when its parent (the Argus server) dies, even by kill -9: no orphan keeps writing.
exec setpriv --pdeathsig TERM -- "${ARGUS_FFMPEG_BIN:-ffmpeg}" "$@"
