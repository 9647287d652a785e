#!/usr/bin/python3
"""Argus test camera: a GStreamer RTSP server that loops pre-encoded H.264 (+AAC) clips in real time, without re-encoding.

Usage (use Debian's /usr/bin/python3, which has python3-gi and GstRtspServer):
  /usr/bin/python3 scripts/rtsp_server.py --port 8554 --mount /cam1=clip.mp4 --mount /cam2=other.mp4
  /usr/bin/python3 scripts/rtsp_server.py --port 0 --count 8 --clip clip.mp4     # serves /cam1 .. /cam8

Prints `READY <port>` on stdout once the listening socket is bound (with --port 0 the kernel picks
the port). Logs go to stderr. Exits cleanly (status 0) on SIGTERM / SIGINT. Clients may use RTP
over UDP or interleaved in the RTSP TCP connection.

How it works. Each distinct clip (MP4, MPEG-TS, MKV, ... with H.264 video and optional AAC audio,
or a raw Annex-B .h264 file) is split once, by stream copy, into a raw Annex-B H.264 elementary
stream and an ADTS AAC stream, cached under --cache-dir. Every mount then runs (one pipeline per
mount, shared by all its clients):

  multifilesrc location=clip.h264 loop=true ! video/x-h264,stream-format=byte-stream,framerate=F
      ! h264parse ! rtph264pay name=pay0 pt=96 config-interval=-1 mtu=1400
  multifilesrc location=clip.aac loop=true ! aacparse ! rtpmp4gpay name=pay1 pt=97 mtu=1400

multifilesrc re-reads the same file forever, and the parsers never see the file boundary: they keep
interpolating timestamps from the frame rate / AAC frame count, so timestamps increase steadily
across loops (h264parse's PTS interpolation is switched on: the clips have no B-frames, PTS == DTS).
The RTP sinks synchronise on the clock, so the stream plays at 1x. The pipeline is not seekable,
so a client's PLAY with a Range never rewinds the stream under the other clients.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstBase", "1.0")
gi.require_version("GstRtsp", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstBase, GstRtsp, GstRtspServer  # noqa: E402

LOG_PREFIX = "[rtsp_server]"
CACHE_VERSION = "1"
STALE_CACHE_S = 6 * 3600


def log(msg: str) -> None:
    print(f"{LOG_PREFIX} {msg}", file=sys.stderr, flush=True)


def fail(msg: str) -> None:
    log(f"error: {msg}")
    sys.exit(2)


class Clip:
    """Elementary streams of one source clip: Annex-B H.264 (+ ADTS AAC) files and the frame rate."""

    def __init__(self, path: str, video: str, audio: str | None, fps: tuple[int, int]):
        self.path = path
        self.video = video
        self.audio = audio
        self.fps = fps


def probe(path: str) -> dict:
    res = subprocess.run(
        ["ffprobe", "-v", "error", "-show_streams", "-show_format", "-of", "json", path],
        capture_output=True, text=True,
    )
    if res.returncode != 0:
        fail(f"ffprobe {path} failed: {res.stderr.strip()}")
    return json.loads(res.stdout)


def parse_rate(rate: str | None) -> tuple[int, int] | None:
    if not rate or "/" not in rate:
        return None
    num, den = rate.split("/", 1)
    try:
        n, d = int(num), int(den)
    except ValueError:
        return None
    return (n, d) if n > 0 and d > 0 else None


def cache_key(real_path: str) -> str:
    st = os.stat(real_path)
    return hashlib.sha1(f"{CACHE_VERSION}|{real_path}|{st.st_size}|{st.st_mtime_ns}".encode()).hexdigest()[:16]


def prune_cache(cache_dir: str) -> None:
    """Removes cache entries of clips that are gone or changed, once they are old enough not to be in use."""
    try:
        names = os.listdir(cache_dir)
    except OSError:
        return
    now = time.time()
    for name in names:
        entry = os.path.join(cache_dir, name)
        try:
            if now - os.stat(entry).st_mtime < STALE_CACHE_S:
                continue
            if not name.startswith("tmp-"):
                with open(os.path.join(entry, "meta.json"), encoding="utf-8") as f:
                    source = json.load(f)["source"]
                if os.path.isfile(source) and cache_key(source) == name:
                    continue
        except (OSError, ValueError, KeyError):
            pass
        shutil.rmtree(entry, ignore_errors=True)


def load_clip(path: str, cache_dir: str) -> Clip:
    """Extracts (stream copy, once, cached by path+size+mtime) the clip's elementary streams."""
    if not os.path.isfile(path):
        fail(f"clip not found: {path}")
    real = os.path.realpath(path)
    out_dir = os.path.join(cache_dir, cache_key(real))
    meta_path = os.path.join(out_dir, "meta.json")
    if not os.path.isfile(meta_path):
        extract(real, cache_dir, out_dir)
    with open(meta_path, encoding="utf-8") as f:
        meta = json.load(f)
    audio = os.path.join(out_dir, "audio.aac") if meta["audio"] else None
    return Clip(path, os.path.join(out_dir, "video.h264"), audio, (meta["fps"][0], meta["fps"][1]))


def extract(path: str, cache_dir: str, out_dir: str) -> None:
    info = probe(path)
    streams = info.get("streams", [])
    video = next((s for s in streams if s.get("codec_type") == "video"), None)
    if video is None or video.get("codec_name") != "h264":
        fail(f"{path}: needs an H.264 video stream")
    if video.get("has_b_frames", 0):
        fail(f"{path} has B-frames, which this server cannot time without a demuxer (encode with -bf 0)")
    audio = next((s for s in streams if s.get("codec_type") == "audio"), None)
    if audio is not None and audio.get("codec_name") != "aac":
        log(f"{path}: audio codec {audio.get('codec_name')} is not AAC; serving video only")
        audio = None
    fps = parse_rate(video.get("avg_frame_rate")) or parse_rate(video.get("r_frame_rate")) or (25, 1)

    os.makedirs(cache_dir, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix="tmp-", dir=cache_dir)
    try:
        args = ["ffmpeg", "-nostdin", "-v", "error", "-y", "-i", path,
                "-map", f"0:{video['index']}", "-c", "copy", "-bsf:v", "h264_mp4toannexb",
                "-f", "h264", os.path.join(tmp, "video.h264")]
        if audio is not None:
            args += ["-map", f"0:{audio['index']}", "-c", "copy"]
            # Cut the audio to the whole number of AAC frames closest to the video length, so
            # that both loops have (nearly) the same period.
            duration = float(video.get("duration") or info.get("format", {}).get("duration") or 0)
            rate = int(audio.get("sample_rate") or 0)
            if duration > 0 and rate > 0:
                args += ["-frames:a", str(max(1, round(duration * rate / 1024)))]
            args += ["-f", "adts", os.path.join(tmp, "audio.aac")]
        res = subprocess.run(args, capture_output=True, text=True)
        if res.returncode != 0:
            fail(f"cannot extract the streams of {path}: {res.stderr.strip()}")
        with open(os.path.join(tmp, "meta.json"), "w", encoding="utf-8") as f:
            json.dump({"source": path, "fps": list(fps), "audio": audio is not None}, f)
        try:
            os.rename(tmp, out_dir)  # atomic; another server may have won the race
        except OSError:
            if not os.path.isfile(os.path.join(out_dir, "meta.json")):
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


class LoopFactory(GstRtspServer.RTSPMediaFactory):
    """Media factory of one mount: a bin looping the clip's elementary streams into RTP payloaders."""

    def __init__(self, clip: Clip, mount: str, mtu: int):
        super().__init__()
        self.clip = clip
        self.mount = mount
        self.mtu = mtu
        self.set_shared(True)
        self.set_protocols(GstRtsp.RTSPLowerTrans.TCP | GstRtsp.RTSPLowerTrans.UDP)

    def do_create_element(self, _url):  # noqa: N802 (GObject vfunc name)
        bin_ = Gst.Bin.new(None)

        def make(factory: str, name: str | None = None, **props) -> Gst.Element:
            el = Gst.ElementFactory.make(factory, name)
            if el is None:
                raise RuntimeError(f"GStreamer element {factory} is missing")
            for key, value in props.items():
                el.set_property(key.replace("_", "-"), value)
            bin_.add(el)
            return el

        def chain(*els: Gst.Element) -> None:
            for a, b in zip(els, els[1:]):
                if not a.link(b):
                    raise RuntimeError(f"cannot link {a.get_name()} -> {b.get_name()}")

        fps_n, fps_d = self.clip.fps
        vcaps = Gst.Caps.from_string(
            f"video/x-h264,stream-format=byte-stream,framerate={fps_n}/{fps_d}")
        vsrc = make("multifilesrc", location=self.clip.video, loop=True)
        vfilter = make("capsfilter", caps=vcaps)
        vparse = make("h264parse")
        # For a byte stream h264parse interpolates only the DTS: it turns baseparse's PTS
        # interpolation off because B-frames would make it wrong. The clips have no B-frames
        # (PTS == DTS), so turn it back on; the payloader and the sinks need PTS.
        GstBase.BaseParse.set_pts_interpolation(vparse, True)
        GstBase.BaseParse.set_infer_ts(vparse, True)
        vpay = make("rtph264pay", "pay0", pt=96, config_interval=-1, mtu=self.mtu)
        chain(vsrc, vfilter, vparse, vpay)
        if self.clip.audio:
            asrc = make("multifilesrc", location=self.clip.audio, loop=True)
            aparse = make("aacparse")
            apay = make("rtpmp4gpay", "pay1", pt=97, mtu=self.mtu)
            chain(asrc, aparse, apay)
        log(f"new media for {self.mount}")
        return bin_


def parse_args(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--port", type=int, default=8554, help="RTSP port (0 = any free port)")
    p.add_argument("--address", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--mount", action="append", default=[], metavar="/PATH=CLIP",
                   help="serve CLIP at rtsp://ADDRESS:PORT/PATH (repeatable)")
    p.add_argument("--count", type=int, default=0, help="serve --clip at /cam1 .. /camN")
    p.add_argument("--clip", help="clip for --count")
    p.add_argument("--mtu", type=int, default=1400,
                   help="max RTP packet size (default 1400, like a camera; larger packets cost less CPU,"
                        " ffmpeg accepts up to 8192)")
    p.add_argument("--cache-dir", default=os.path.join(tempfile.gettempdir(), "argus-rtsp-es"),
                   help="where the extracted elementary streams are cached")
    args = p.parse_args(argv)
    mounts: list[tuple[str, str]] = []
    for spec in args.mount:
        path, sep, clip = spec.partition("=")
        if not sep or not path.strip("/") or not clip:
            p.error(f"bad --mount {spec!r}, expected /path=clip")
        mounts.append(("/" + path.strip("/"), clip))
    if not 200 <= args.mtu <= 65000:
        p.error("--mtu must be within 200..65000")
    if args.count < 0:
        p.error("--count must be positive")
    if args.count:
        if not args.clip:
            p.error("--count needs --clip")
        mounts += [(f"/cam{i}", args.clip) for i in range(1, args.count + 1)]
    elif args.clip:
        p.error("--clip needs --count")
    if not mounts:
        p.error("nothing to serve: give --mount or --count with --clip")
    if len({m for m, _ in mounts}) != len(mounts):
        p.error("duplicate mount path")
    args.mounts = mounts
    return args


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    Gst.init(None)

    prune_cache(args.cache_dir)
    clips: dict[str, Clip] = {}
    for _, clip_path in args.mounts:
        key = os.path.realpath(clip_path)
        if key not in clips:
            clips[key] = load_clip(clip_path, args.cache_dir)

    server = GstRtspServer.RTSPServer()
    server.set_address(args.address)
    server.set_service(str(args.port))
    mount_points = server.get_mount_points()
    for path, clip_path in args.mounts:
        mount_points.add_factory(path, LoopFactory(clips[os.path.realpath(clip_path)], path, args.mtu))

    loop = GLib.MainLoop()

    def on_signal() -> bool:
        log("stopping")
        loop.quit()
        return GLib.SOURCE_REMOVE

    GLib.unix_signal_add(GLib.PRIORITY_HIGH, signal.SIGTERM, on_signal)
    GLib.unix_signal_add(GLib.PRIORITY_HIGH, signal.SIGINT, on_signal)

    try:
        if server.attach(None) == 0:
            fail(f"cannot listen on {args.address}:{args.port}")
    except GLib.Error as e:
        fail(f"cannot listen on {args.address}:{args.port}: {e.message}")
    port = server.get_bound_port()
    log(f"serving {', '.join(m for m, _ in args.mounts)} on rtsp://{args.address}:{port}")
    print(f"READY {port}", flush=True)
    loop.run()
    # Streaming threads may still be running; skip interpreter finalisation (which could race them)
    # and let the kernel close the sockets. Clients see the camera go away, as with a real one.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
