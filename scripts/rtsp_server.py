#!/usr/bin/python3
"""Argus test camera: a GStreamer RTSP server that loops pre-encoded clips in real time, without re-encoding.

Usage (use Debian's /usr/bin/python3, which has python3-gi and GstRtspServer):
  /usr/bin/python3 scripts/rtsp_server.py --port 8554 --mount /cam1=clip.mp4 --mount /cam2=other.mov
  /usr/bin/python3 scripts/rtsp_server.py --port 0 --count 8 --clip clip.mp4     # serves /cam1 .. /cam8
  ... --auth user:secret [--digest]     # every mount asks for RTSP Basic (or Digest) authentication
  RTSP_SERVER_AUTH=user:secret ... [--digest]     # the same, the password kept off the command line

Prints `READY <port>` on stdout once the listening socket is bound (with --port 0 the kernel picks
the port). Logs go to stderr. Exits cleanly (status 0) on SIGTERM / SIGINT. Clients may use RTP
over UDP or interleaved in the RTSP TCP connection.

What it serves. A clip (MP4, QuickTime .mov, MPEG-TS, MKV, raw Annex-B ...) with H.264 or H.265
video, with or without B-frames, and optionally AAC or G.711 (A-law / mu-law) audio; other audio
is left out (logged). Video goes out as rtph264pay / rtph265pay (pt 96, parameter sets before each
keyframe, all in one aggregation packet: STAP-A / AP), AAC as rtpmp4gpay (pt 97), G.711 as rtppcmapay /
rtppcmupay (static pt 8 / 0, 40 ms packets), like an IP camera's main stream. The mounts are shared, so a
client joins the stream at whatever packet is next: with the SPS and the PPS in packets of their own, one
joining between them recorded a PPS without its SPS ("sps_id 0 out of range" when decoding the recording).

How it works. At start each distinct clip is demuxed and parsed once (filesrc ! parsebin, then
h264parse / h265parse to byte-stream access units, aacparse to raw AAC) into appsinks, and every
buffer (with its PTS, DTS, duration and flags; the memory is shared, not copied) is kept in memory.
Each mount then runs one media bin, shared by all its clients:

  appsrc format=time ! h264parse|h265parse ! rtph264pay|rtph265pay name=pay0 config-interval=-1 aggregate-mode=zero-latency
  appsrc format=time ! aacparse ! rtpmp4gpay name=pay1        (or ! rtppcmapay / rtppcmupay)

Each appsrc is fed from its `need-data` signal with the stored buffers, loop after loop forever,
every timestamp shifted by loop_index x loop period. The loop period is the video's length (frame
count x frame duration), the same for every stream of the clip, so audio and video stay in sync:
the audio is aligned to start with the first picture, and audio buffers that start at or after the
period are dropped; where the audio does not fill the loop, a gap shorter than one audio frame
remains at the loop boundary (e.g. 32 ms for 62 AAC frames of 64 ms in a 4 s loop), never an overlap. Timestamps therefore keep
increasing across loop boundaries (no jump, no rewind), and with B-frames each buffer keeps its own
PTS and DTS (the RTP timestamp is the PTS). The RTP sinks synchronise on the clock, so the stream
plays at 1x. The pipeline is not seekable, so a client's PLAY with a Range never rewinds the stream
under the other clients. Cost: no encoding or decoding, about 0.5 % of a core per 720p stream.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtsp", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, GObject, Gst, GstRtsp, GstRtspServer  # noqa: E402

LOG_PREFIX = "[rtsp_server]"
NONE = Gst.CLOCK_TIME_NONE
G711_PTIME_NS = 40 * Gst.MSECOND
LOAD_TIMEOUT_S = 120

# Caps name -> (parser after parsebin for the stored form, caps of the stored form)
STORED_FORM = {
    "video/x-h264": ("h264parse", "video/x-h264,stream-format=byte-stream,alignment=au"),
    "video/x-h265": ("h265parse", "video/x-h265,stream-format=byte-stream,alignment=au"),
    "audio/mpeg": ("aacparse", "audio/mpeg,mpegversion=4,stream-format=raw"),
    "audio/x-alaw": (None, None),
    "audio/x-mulaw": (None, None),
}
# Caps name -> (parser in the media bin or None, payloader, payloader properties)
PAYLOADERS = {
    "video/x-h264": ("h264parse", "rtph264pay", {"pt": 96, "config_interval": -1, "aggregate_mode": "zero-latency"}),
    "video/x-h265": ("h265parse", "rtph265pay", {"pt": 96, "config_interval": -1, "aggregate_mode": "zero-latency"}),
    "audio/mpeg": ("aacparse", "rtpmp4gpay", {"pt": 97}),
    "audio/x-alaw": (None, "rtppcmapay", {"min_ptime": G711_PTIME_NS, "max_ptime": G711_PTIME_NS}),
    "audio/x-mulaw": (None, "rtppcmupay", {"min_ptime": G711_PTIME_NS, "max_ptime": G711_PTIME_NS}),
}


def log(msg: str) -> None:
    print(f"{LOG_PREFIX} {msg}", file=sys.stderr, flush=True)


def fail(msg: str) -> None:
    log(f"error: {msg}")
    sys.stdout.flush()
    os._exit(2)


class Track:
    """One elementary stream of a clip, in memory: caps and the buffers in decode order (timestamps from 0)."""

    def __init__(self, kind: str, caps: Gst.Caps, buffers: list[Gst.Buffer]):
        self.kind = kind  # caps name, a key of PAYLOADERS
        self.caps = caps
        self.buffers = buffers


class Clip:
    """A demuxed clip: its video track, optional audio track, and the loop period (ns)."""

    def __init__(self, path: str, video: Track, audio: Track | None, period_ns: int):
        self.path = path
        self.video = video
        self.audio = audio
        self.period_ns = period_ns


def make(bin_: Gst.Bin, factory: str, name: str | None = None, **props) -> Gst.Element:
    el = Gst.ElementFactory.make(factory, name)
    if el is None:
        raise RuntimeError(f"GStreamer element {factory} is missing")
    for key, value in props.items():
        prop = key.replace("_", "-")
        if isinstance(value, str) and el.find_property(prop).value_type.is_a(GObject.TYPE_ENUM):
            Gst.util_set_object_arg(el, prop, value)  # an enum value by its nick, as in gst-launch
        else:
            el.set_property(prop, value)
    bin_.add(el)
    return el


def chain(*els: Gst.Element) -> None:
    for a, b in zip(els, els[1:]):
        if not a.link(b):
            raise RuntimeError(f"cannot link {a.get_name()} -> {b.get_name()}")


def demux(path: str) -> dict[str, tuple[Gst.Caps, list[Gst.Buffer]]]:
    """Reads the whole clip through parsebin; returns caps name -> (caps, buffers) of its first video and audio streams."""
    pipeline = Gst.Pipeline.new("load")
    src = make(pipeline, "filesrc", location=path)
    parse = make(pipeline, "parsebin")
    chain(src, parse)
    found: dict[str, tuple[Gst.Caps, list[Gst.Buffer]]] = {}
    skipped: list[str] = []
    lock = threading.Lock()

    def on_pad_added(_el: Gst.Element, pad: Gst.Pad) -> None:
        caps = pad.get_current_caps() or pad.query_caps(None)
        name = caps.get_structure(0).get_name()
        kind = name.split("/")[0]
        with lock:
            taken = any(k.startswith(kind + "/") for k in found)
            wanted = name in STORED_FORM and not taken
            if wanted:
                found[name] = (caps, [])
            else:
                skipped.append(caps.to_string())
        # a queue per branch: the demuxer feeds all branches from one thread, the appsinks preroll
        els = [make(pipeline, "queue")]
        if wanted:
            parser, form = STORED_FORM[name]
            if parser:
                els += [make(pipeline, parser), make(pipeline, "capsfilter", caps=Gst.Caps.from_string(form))]
            sink = make(pipeline, "appsink", sync=False, emit_signals=True)
            store = found[name][1]

            def on_sample(s: Gst.Element) -> Gst.FlowReturn:
                sample = s.emit("pull-sample")
                store.append(sample.get_buffer())
                with lock:
                    found[name] = (sample.get_caps(), store)
                return Gst.FlowReturn.OK

            sink.connect("new-sample", on_sample)
            els.append(sink)
        else:
            els.append(make(pipeline, "fakesink", sync=False))
        for el in els:
            el.sync_state_with_parent()
        pad.link(els[0].get_static_pad("sink"))
        chain(*els)

    parse.connect("pad-added", on_pad_added)
    bus = pipeline.get_bus()
    pipeline.set_state(Gst.State.PLAYING)
    msg = bus.timed_pop_filtered(LOAD_TIMEOUT_S * Gst.SECOND, Gst.MessageType.EOS | Gst.MessageType.ERROR)
    pipeline.set_state(Gst.State.NULL)
    if msg is None:
        fail(f"{path}: reading the clip took more than {LOAD_TIMEOUT_S} s")
    if msg.type == Gst.MessageType.ERROR:
        err, dbg = msg.parse_error()
        fail(f"{path}: cannot read the clip: {err.message} ({dbg})")
    for caps in skipped:
        log(f"{path}: leaving out a stream this server does not serve: {caps[:80]}")
    return found


def resolve_wrappers() -> None:
    """Makes PyGObject build its Python classes for the GStreamer types here, on the main thread: built lazily and
    first from two appsink streaming threads at once, Gst.Buffer could come out as two classes, and reading a buffer's
    pts then failed with "argument 1: Must be Gst.Buffer, not Buffer"."""
    buf = Gst.Buffer.new()
    sample = Gst.Sample.new(buf, Gst.Caps.new_empty(), None, None)
    got = sample.get_buffer()
    _ = (got.pts, got.dts, got.duration, Gst.BufferFlags.DISCONT, Gst.BufferCopyFlags.MEMORY, Gst.FlowReturn.OK, NONE)
    share(got)


def share(buf: Gst.Buffer) -> Gst.Buffer:
    """A new buffer with buf's memory, flags and timestamps (Gst.Buffer.copy() in Python only adds a reference)."""
    flags = Gst.BufferCopyFlags
    return buf.copy_region(flags.FLAGS | flags.TIMESTAMPS | flags.META | flags.MEMORY, 0, buf.get_size())


def load_clip(path: str) -> Clip:
    if not os.path.isfile(path):
        fail(f"clip not found: {path}")
    streams = demux(path)
    video_name = next((n for n in streams if n.startswith("video/")), None)
    if video_name is None or not streams[video_name][1]:
        fail(f"{path}: needs an H.264 or H.265 video stream")
    audio_name = next((n for n in streams if n.startswith("audio/") and streams[n][1]), None)

    vbufs = streams[video_name][1]
    if any(b.dts == NONE and b.pts == NONE for b in vbufs) or any(b.duration == NONE for b in vbufs):
        fail(f"{path}: the video has frames without timestamps or durations")
    # The video's timeline from 0 (the first DTS; with B-frames the first PTS comes a few frames later).
    base = min(t for b in vbufs for t in (b.pts, b.dts) if t != NONE)
    first_pts = min(b.pts for b in vbufs if b.pts != NONE) if any(b.pts != NONE for b in vbufs) else base
    # Loop period: the video's length (frame count x frame duration for a constant rate), from the presentation
    # times when every frame has one (MKV gives no DTS), else from the decode times.
    if all(b.pts != NONE for b in vbufs):
        period = max(b.pts + b.duration for b in vbufs) - min(b.pts for b in vbufs)
    else:
        dts = [b.dts if b.dts != NONE else b.pts for b in vbufs]
        period = dts[-1] + vbufs[-1].duration - dts[0]
    if period <= 0:
        fail(f"{path}: the video lasts no time")

    def track(name: str, shift: int, keep_until: int | None) -> Track:
        """The stream's buffers with `shift` added to their timestamps, without those starting at keep_until or later."""
        caps, bufs = streams[name]
        out = []
        for b in bufs:
            start = b.pts if b.pts != NONE else b.dts
            if start == NONE or start + shift < 0 or (keep_until is not None and start + shift >= keep_until):
                continue
            c = share(b)
            c.pts = b.pts + shift if b.pts != NONE else NONE
            c.dts = b.dts + shift if b.dts != NONE else NONE
            c.unset_flags(Gst.BufferFlags.DISCONT)
            out.append(c)
        return Track(name, caps, out)

    video = track(video_name, -base, None)
    audio = None
    if audio_name:
        # The audio is moved to start with the first picture (AAC clips start one frame, e.g. 64 ms, later), and
        # stops where the video's loop ends: RTSP clients (ffmpeg) that time each stream from its first packet until
        # the first RTCP sender report then see no jump between the streams, and every loop has the same length.
        abufs = streams[audio_name][1]
        first_audio = min((b.pts for b in abufs if b.pts != NONE), default=NONE)
        if first_audio != NONE:
            audio = track(audio_name, first_pts - base - first_audio, first_pts - base + period)
    if audio is not None and not audio.buffers:
        audio = None
    log(f"{path}: {video_name} {len(video.buffers)} frames"
        + (f", {audio_name} {len(audio.buffers)} buffers" if audio else ", no audio")
        + f", loop {period / Gst.SECOND:.3f} s")
    return Clip(path, video, audio, period)


class Feeder:
    """Feeds one appsrc with a track's buffers, loop after loop, timestamps shifted by loop x period."""

    def __init__(self, track: Track, period_ns: int):
        self.track = track
        self.period = period_ns
        self.index = 0
        self.loop = 0

    def on_need_data(self, src: Gst.Element, _length: int) -> None:
        bufs = self.track.buffers
        for _ in range(4):
            b = share(bufs[self.index])
            shift = self.loop * self.period
            if b.pts != NONE:
                b.pts += shift
            if b.dts != NONE:
                b.dts += shift
            if self.loop == 0 and self.index == 0:
                b.set_flags(Gst.BufferFlags.DISCONT)
            if src.emit("push-buffer", b) != Gst.FlowReturn.OK:
                return
            self.index += 1
            if self.index == len(bufs):
                self.index = 0
                self.loop += 1


class LoopFactory(GstRtspServer.RTSPMediaFactory):
    """Media factory of one mount: a bin looping the clip's stored buffers into RTP payloaders."""

    def __init__(self, clip: Clip, mount: str, mtu: int):
        super().__init__()
        self.clip = clip
        self.mount = mount
        self.mtu = mtu
        self.set_shared(True)
        self.set_protocols(GstRtsp.RTSPLowerTrans.TCP | GstRtsp.RTSPLowerTrans.UDP)

    def do_create_element(self, _url):  # noqa: N802 (GObject vfunc name)
        bin_ = Gst.Bin.new(None)
        tracks = [self.clip.video] + ([self.clip.audio] if self.clip.audio else [])
        for i, track in enumerate(tracks):
            parser, payloader, props = PAYLOADERS[track.kind]
            src = make(bin_, "appsrc", format=Gst.Format.TIME, caps=track.caps, is_live=False,
                       max_bytes=256 * 1024)
            feeder = Feeder(track, self.clip.period_ns)
            src.connect("need-data", feeder.on_need_data)
            els = [src] + ([make(bin_, parser)] if parser else [])
            if parser in ("h264parse", "h265parse"):
                els[-1].set_property("config-interval", -1)
            els.append(make(bin_, payloader, f"pay{i}", mtu=self.mtu, **props))
            chain(*els)
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
    p.add_argument("--auth", metavar="USER:PASSWORD", default=os.environ.get("RTSP_SERVER_AUTH"),
                   help="require this user name and password (RTSP Basic, or Digest with --digest) on every mount"
                        " (default: $RTSP_SERVER_AUTH)")
    p.add_argument("--digest", action="store_true", help="with --auth: ask for Digest authentication instead of Basic")
    p.add_argument("--mtu", type=int, default=1400,
                   help="max RTP packet size (default 1400, like a camera; larger packets cost less CPU,"
                        " ffmpeg accepts up to 8192)")
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
    if args.auth is not None and ":" not in args.auth:
        p.error("--auth must be USER:PASSWORD")
    if args.digest and args.auth is None:
        p.error("--digest needs --auth")
    args.mounts = mounts
    return args


def require_auth(server: GstRtspServer.RTSPServer, factories: list[GstRtspServer.RTSPMediaFactory], spec: str, digest: bool) -> None:
    """Every mount answers 401 unless the client sends USER:PASSWORD (Basic, or Digest with a nonce of ours)."""
    user, _, password = spec.partition(":")
    auth = GstRtspServer.RTSPAuth()
    token = GstRtspServer.RTSPToken()
    token.set_string("media.factory.role", "camera")
    if digest:
        auth.set_supported_methods(GstRtsp.RTSPAuthMethod.DIGEST)
        auth.add_digest(user, password, token)
    else:
        auth.set_supported_methods(GstRtsp.RTSPAuthMethod.BASIC)
        auth.add_basic(GstRtspServer.RTSPAuth.make_basic(user, password), token)
    server.set_auth(auth)
    for factory in factories:
        factory.add_role_from_structure(Gst.Structure.new_from_string(
            "camera, media.factory.access=(boolean)true, media.factory.construct=(boolean)true"))


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    Gst.init(None)
    resolve_wrappers()

    clips: dict[str, Clip] = {}
    for _, clip_path in args.mounts:
        key = os.path.realpath(clip_path)
        if key not in clips:
            clips[key] = load_clip(clip_path)

    server = GstRtspServer.RTSPServer()
    server.set_address(args.address)
    server.set_service(str(args.port))
    mount_points = server.get_mount_points()
    factories = []
    for path, clip_path in args.mounts:
        factory = LoopFactory(clips[os.path.realpath(clip_path)], path, args.mtu)
        factories.append(factory)
        mount_points.add_factory(path, factory)
    if args.auth is not None:
        require_auth(server, factories, args.auth, args.digest)

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
