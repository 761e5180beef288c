import type { BackgroundToEngine } from '@/lib/messaging/background-to-engine';
import type { Handlers } from '@/lib/messaging/protocol';
import { MessageSendError } from '@/lib/phone/message-failure';
import type { PhoneEngine } from '@/lib/phone/phone-engine';
import { DEFAULT_AUDIO_SETTINGS } from '@/lib/settings/settings-schema';

/** The engine's side of {@link BackgroundToEngine}: each method maps onto the engine. */
export function createEngineHandlers<Sender>(
  engine: PhoneEngine,
): Handlers<(typeof BackgroundToEngine)['methods'], Sender> {
  return {
    configure: ({ accounts, ringbackRegion, callHandling, audio }) => {
      engine.setAudioSettings(audio ?? DEFAULT_AUDIO_SETTINGS);
      return callHandling ? engine.configure(accounts, ringbackRegion, callHandling) : engine.configure(accounts, ringbackRegion);
    },
    getSnapshot: () => engine.snapshot(),
    placeCall: async ({ accountId, target, displayTarget, crmEntity }) => ({
      callId: await (crmEntity
        ? engine.placeCall(accountId, target, displayTarget, crmEntity)
        : engine.placeCall(accountId, target, displayTarget)),
    }),
    sendMessage: async ({ accountId, target, body }) => {
      try {
        return { messageId: await engine.sendMessage(accountId, target, body) };
      } catch (error) {
        if (!(error instanceof MessageSendError)) throw error;
        return { messageId: error.messageId, failure: error.failure, detail: error.detail };
      }
    },
    answer: async ({ callId }) => {
      await engine.answer(callId);
      return null;
    },
    answerAndHold: ({ callId }) => engine.answer(callId),
    hangupAndAnswer: ({ callId }) => engine.hangupAndAnswer(callId),
    swapCalls: async () => {
      await engine.swapCalls();
      return null;
    },
    mergeCalls: async () => {
      await engine.mergeCalls();
      return null;
    },
    splitConference: async ({ keepCallId }) => {
      await engine.splitConference(keepCallId);
      return null;
    },
    cancelAutoAnswer: ({ callId }) => {
      engine.cancelAutoAnswer(callId);
      return null;
    },
    decline: ({ callId, code }) => {
      engine.decline(callId, code);
      return null;
    },
    hangup: ({ callId }) => {
      engine.hangup(callId);
      return null;
    },
    setMute: ({ callId, muted }) => {
      engine.setMute(callId, muted);
      return null;
    },
    setHold: async ({ callId, hold }) => {
      await engine.setHold(callId, hold);
      return null;
    },
    sendDtmf: ({ callId, digits }) => {
      engine.sendDtmf(callId, digits);
      return null;
    },
    blindTransfer: ({ callId, target, displayTarget }) => {
      engine.blindTransfer(callId, target, displayTarget);
      return null;
    },
    startConsultTransfer: async ({ callId, target, displayTarget }) => ({
      consultCallId: await engine.startConsultTransfer(callId, target, displayTarget),
    }),
    completeTransfer: ({ callId }) => {
      engine.completeTransfer(callId);
      return null;
    },
    cancelTransfer: ({ callId }) => {
      engine.cancelTransfer(callId);
      return null;
    },
    startRecording: ({ callId }) => {
      engine.startRecording(callId);
      return null;
    },
    stopRecording: ({ callId }) => {
      engine.stopRecording(callId);
      return null;
    },
    retry: ({ accountId }) => {
      engine.retry(accountId);
      return null;
    },
    checkMicrophone: async () => {
      await engine.checkMicrophone();
      return null;
    },
    testConnection: ({ account }) => engine.testConnection(account),
  };
}
