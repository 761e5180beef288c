import { startEngineInDocument } from '@/lib/engine/engine-document';

// The offscreen document exists only to host the phone engine (WebRTC, microphone, audio out).
startEngineInDocument();
