/** The media of an answered call, as the recorder and the recording notice need it. */
export interface CallMedia {
  /** The microphone stream sent to the far end. */
  local: MediaStream;
  /** What the far end sends. */
  remote: MediaStream;
  peerConnection: RTCPeerConnection;
}

/** What one stopped recording produced. */
export interface RecordedAudio {
  /** The container and codec, e.g. `audio/webm;codecs=opus`. */
  mimeType: string;
  audio: Blob;
  /** From the recorder's start to its stop, as the host measured it. */
  durationMs: number;
}

/** A recording in progress (see `MediaHost.startRecording`). */
export interface RecordingHandle {
  /** Stops the recording; resolves with everything recorded since the start. */
  stop(): Promise<RecordedAudio>;
}
