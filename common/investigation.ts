// Investigation contracts (issue 6): API bodies and views, and the investigation events on the WebSocket stream.
import type { WireMessage } from './messages';
import { msg } from './messages';
import { s, type Infer } from './schema';

/**
 * Case references and export names: letters and digits of any script, marks, spaces, dashes, brackets (〔〕【】（）...),
 * and . _ / + # · ・ (a slash is common in court references; "沪公刑字〔2026〕123号" is a normal Chinese case number),
 * 1..64 characters, no leading or trailing space, never '.' or '..' as a component, never starting with '/', and no
 * backslash, colon or control character. The server never uses them as a path as given: package directories are built
 * from a sanitised form (see main/services/investigation/paths.ts).
 */
export const CASE_REFERENCE_RE = /^(?!.*(?:^|\/)\.{1,2}(?:\/|$))(?![/ ])(?!.* $)[\p{L}\p{N}\p{M}\p{Pd}\p{Ps}\p{Pe}\p{Pc} ./+#·・]{1,64}$/u;
const REFERENCE_HINT = msg('schema.case_reference');

export const ReferenceSchema = s.string({
  minLength: 1,
  maxLength: 64,
  pattern: CASE_REFERENCE_RE,
  patternHint: REFERENCE_HINT,
  description: 'case reference number',
});

// ---------- bookmarks ----------
export const BookmarkCreate = s.object({
  cameraId: s.int({ min: 1 }),
  startMs: s.timeMs(),
  endMs: s.timeMs(),
  note: s.string({ maxLength: 2000 }),
  caseId: s.optional(s.nullable(s.int({ min: 1 }))),
});
export type BookmarkCreate = Infer<typeof BookmarkCreate>;

export const BookmarkUpdate = s.partial(s.object({ note: s.string({ maxLength: 2000 }), caseId: s.nullable(s.int({ min: 1 })) }));
export type BookmarkUpdate = Infer<typeof BookmarkUpdate>;

export interface Bookmark {
  id: number;
  cameraId: number;
  startMs: number;
  endMs: number;
  note: string;
  caseId: number | null;
  createdBy: string;
  createdMs: number;
}

export const BookmarkQuery = s.object({
  cameraId: s.optional(s.int({ min: 1 })),
  caseId: s.optional(s.int({ min: 1 })),
  startMs: s.optional(s.int({ min: 0 })),
  endMs: s.optional(s.int({ min: 0 })),
  text: s.optional(s.string({ maxLength: 200 })),
  limit: s.optional(s.int({ min: 1, max: 5000 })),
});
export type BookmarkQuery = Infer<typeof BookmarkQuery>;

// ---------- cases and legal hold ----------
export const CaseCreate = s.object({
  reference: ReferenceSchema,
  title: s.optional(s.string({ maxLength: 200 })),
  /** The owning organisation node (the creator must hold cases.manage on it); default the creator's home node. */
  nodeId: s.optional(s.int({ min: 1 })),
});
export type CaseCreate = Infer<typeof CaseCreate>;

export const HoldBody = s.object({ reason: s.string({ minLength: 1, maxLength: 500 }) });
export type HoldBody = Infer<typeof HoldBody>;

export interface LegalHold {
  id: number;
  caseId: number;
  reason: string;
  createdBy: string;
  createdMs: number;
  releasedBy: string | null;
  releasedMs: number | null;
  /** Segments it protects. */
  segments: number;
}

export interface Case {
  id: number;
  reference: string;
  title: string;
  createdBy: string;
  createdMs: number;
  updatedMs: number;
  /** The organisation node that owns the case: whoever holds cases.manage on it (or above) sees and edits it. */
  nodeId: number;
  /** The active hold, null when none. */
  hold: LegalHold | null;
  bookmarks: number;
  exports: number;
}

// ---------- export ----------
export const ExportSource = s.object({ cameraId: s.int({ min: 1 }) });

export const ExportCreate = s.object({
  caseId: s.int({ min: 1 }),
  /** Short user-given name of the package (sanitised into the directory name). */
  name: s.optional(s.string({ minLength: 1, maxLength: 64, pattern: CASE_REFERENCE_RE, patternHint: REFERENCE_HINT })),
  sources: s.array(ExportSource, { minItems: 1, maxItems: 16 }),
  startMs: s.timeMs(),
  endMs: s.timeMs(),
  /** Re-encode for frame-exact cuts (slower); default stream copy (cuts at keyframes). */
  reencode: s.optional(s.boolean()),
  /** Burn case, camera, wall-clock time and user into the picture (implies re-encode). */
  watermark: s.optional(s.boolean()),
  /** Add the GPS tracks of unit sources as GPX and KML (default true). */
  tracks: s.optional(s.boolean()),
});
export type ExportCreate = Infer<typeof ExportCreate>;

export const EXPORT_STATES = ['queued', 'running', 'done', 'failed', 'cancelled'] as const;
export type ExportState = (typeof EXPORT_STATES)[number];

export interface ExportJob {
  id: number;
  caseId: number;
  state: ExportState;
  dirName: string;
  progress: number;
  /** Why it failed, in English (logs, API clients). */
  error: string | null;
  /** Why it failed as a registered code with params (common/messages.ts), worded by the console; null if not failed or failed before migration 012. */
  reason: WireMessage | null;
  createdBy: string;
  createdMs: number;
  finishedMs: number | null;
  manifestSha256: string | null;
  request: ExportCreate;
}

/** One file of a package as the manifest lists it. */
export interface ManifestFile {
  path: string;
  sha256: string;
  sizeBytes: number;
}

export interface ManifestSource {
  cameraId: number;
  name: string;
  kind: 'camera' | 'unit';
  file: string | null;
  /** Requested range. */
  startMs: number;
  endMs: number;
  /**
   * Recorded pieces in the file (gaps between them), as exported: a piece starts at the wall time of its first frame
   * (stream copy: the keyframe at or before the requested start, so possibly before `startMs`) and ends after its last frame.
   */
  recorded: Array<{ startMs: number; endMs: number }>;
  /** Wall time of the first and of the last frame in the file (from the segments' timestamps); null without a file. */
  firstFrameMs: number | null;
  lastFrameMs: number | null;
  segments: Array<{ id: number; relPath: string; startMs: number; endMs: number; sizeBytes: number; sha256: string }>;
  /** Duration of the exported file (ffprobe), ms. */
  durationMs: number | null;
  cut: 'keyframe' | 'frame-exact';
  /** The text burnt into this source's video (case reference | source | exporting user), null without a watermark. */
  watermarkText?: string | null;
}

/** The site's signature of an evidence manifest (docs/design/investigation.md, "Signed evidence"). */
export interface ManifestSignature {
  algorithm: 'Ed25519';
  /** SHA-256 hex of the signing public key's SPKI DER: compare with the site's published fingerprint. */
  keyFingerprint: string;
  /** The signing public key (PEM SPKI), embedded for a check without the site's key file. */
  publicKeyPem: string;
  /** Base64 signature of the canonical JSON of the manifest without `signature`. */
  value: string;
}

export interface Manifest {
  format: 'argus-evidence/1';
  caseReference: string;
  caseId: number;
  exportId: number;
  exportedBy: string;
  exportedMs: number;
  exportedIso: string;
  startMs: number;
  endMs: number;
  watermark: boolean;
  sources: ManifestSource[];
  files: ManifestFile[];
  /** Signature over everything above (absent in packages made before issue 13). */
  signature?: ManifestSignature;
}

// ---------- snapshots ----------
export const SnapshotCreate = s.object({
  cameraId: s.int({ min: 1 }),
  /** Wall-clock time of the recorded frame; absent = the live picture now. */
  tMs: s.optional(s.timeMs()),
  note: s.optional(s.string({ maxLength: 2000 })),
  caseId: s.optional(s.nullable(s.int({ min: 1 }))),
});
export type SnapshotCreate = Infer<typeof SnapshotCreate>;

export interface Snapshot {
  id: number;
  cameraId: number;
  tMs: number;
  source: 'live' | 'playback';
  note: string;
  caseId: number | null;
  sha256: string;
  sizeBytes: number;
  createdBy: string;
  createdMs: number;
}

// ---------- timeline and playback ----------
export const TimelineQuery = s.object({ startMs: s.int({ min: 0 }), endMs: s.int({ min: 0 }) });
export type TimelineQuery = Infer<typeof TimelineQuery>;

export interface Timeline {
  cameraId: number;
  startMs: number;
  endMs: number;
  /** Recorded ranges (adjacent segments merged), in time order. */
  ranges: Array<{ startMs: number; endMs: number }>;
  events: Array<{ id: number; type: string; startMs: number; endMs: number | null }>;
  bookmarks: Bookmark[];
}

/** One piece of an on-the-fly VOD playlist: a byte range of one segment file, placed on wall-clock time. */
export interface PlaybackPiece {
  segmentId: number;
  /** Wall-clock start of the piece (ms since epoch, UTC). */
  wallMs: number;
  /** Position of the piece in the playlist's media time (s). */
  mediaS: number;
  durationS: number;
  discontinuity: boolean;
  /** Video codec of the piece's segment as the index records it ('h264', 'hevc', ...; null when unknown). */
  videoCodec: string | null;
}

export interface PlaybackMap {
  cameraId: number;
  startMs: number;
  endMs: number;
  pieces: PlaybackPiece[];
  /** The window holds the segment being written: more pieces appear (refresh the map; the playlist is an EVENT playlist). */
  live: boolean;
  /** Playlist URL with a signed, short-lived link for this window and session (`sig`; no session token needed or accepted). */
  playlist: string;
}

// ---------- search ----------
export const SearchQuery = s.object({
  cameraIds: s.optional(s.string({ maxLength: 2000, pattern: /^\d+(,\d+)*$/, patternHint: msg('schema.id_list') })),
  startMs: s.int({ min: 0 }),
  endMs: s.int({ min: 0 }),
  eventType: s.optional(s.string({ maxLength: 64 })),
  text: s.optional(s.string({ maxLength: 200 })),
  lat: s.optional(s.number({ min: -90, max: 90 })),
  lon: s.optional(s.number({ min: -180, max: 180 })),
  radiusM: s.optional(s.number({ min: 1, max: 100_000 })),
  limit: s.optional(s.int({ min: 1, max: 1000 })),
});
export type SearchQuery = Infer<typeof SearchQuery>;

export interface SearchHit {
  kind: 'event' | 'bookmark' | 'place-camera' | 'place-unit' | 'recording';
  cameraId: number;
  /** Where playback should open. */
  atMs: number;
  startMs: number;
  endMs: number;
  label: string;
  distanceM?: number;
}

// ---------- events ----------
/** Progress of one download (whole package or one file), pushed only to the user who downloads it. */
export interface DownloadProgress {
  /** Chosen by the console (?dl=). */
  id: string;
  userId: number;
  exportId: number;
  file: string;
  /** Bytes of the file or archive delivered so far, counting the part before a resumed range. */
  sentBytes: number;
  totalBytes: number;
  state: 'running' | 'done' | 'failed';
}

/**
 * WebSocket events of this feature; add variants here (each with a distinct `type`). Each carries what its audience
 * check needs (main/services/investigation/rights.ts): the node of the case it belongs to (null when in none), and
 * `retired`: the ids of its channels no longer in the organisation tree (recordings outlive channels; judged at the root).
 */
export type InvestigationServerEvent =
  | { type: 'investigation.export'; export: ExportJob; caseNodeId: number; retired: number[] }
  | { type: 'investigation.case'; caseId: number; nodeId: number }
  | { type: 'investigation.bookmark'; op: 'created' | 'updated' | 'deleted'; bookmark: Bookmark; caseNodeId: number | null; retired: number[] }
  | { type: 'investigation.snapshot'; snapshot: Snapshot; caseNodeId: number | null; retired: number[] }
  | { type: 'investigation.download'; download: DownloadProgress };

/** Every event type above, for the console's parser (the Record makes the compiler insist the list is complete). */
export const INVESTIGATION_EVENT_TYPES: Record<InvestigationServerEvent['type'], true> = {
  'investigation.export': true,
  'investigation.case': true,
  'investigation.bookmark': true,
  'investigation.snapshot': true,
  'investigation.download': true,
};
