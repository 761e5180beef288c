import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createMicrophoneModel, type MicrophoneModel } from '@/lib/options/microphone-model';
import { setLogLevel } from '@/lib/util/logger';

/** A permission status the test changes, as the user would in the site settings. */
class FakePermissionStatus extends EventTarget {
  constructor(public state: PermissionState) {
    super();
  }

  change(state: PermissionState): void {
    this.state = state;
    this.dispatchEvent(new Event('change'));
  }
}

function domError(name: string): Error {
  const error = new Error(name);
  error.name = name;
  return error;
}

class FakeMedia {
  readonly stopped: number[] = [];
  requests = 0;
  outcome: 'grant' | Error = 'grant';
  /** Called when a request grants, like the browser updating the permission. */
  onGrant: () => void = () => {};

  getUserMedia = async (constraints?: MediaStreamConstraints): Promise<MediaStream> => {
    expect(constraints).toEqual({ audio: true });
    this.requests++;
    if (this.outcome !== 'grant') throw this.outcome;
    this.onGrant();
    const tracks = [1, 2].map((id) => ({ stop: () => this.stopped.push(id) }));
    return { getTracks: () => tracks } as unknown as MediaStream;
  };
}

let media: FakeMedia;
let status: FakePermissionStatus;
let notified: number;
let model: MicrophoneModel;

function create(options: { permissions?: boolean; media?: boolean } = {}): MicrophoneModel {
  model = createMicrophoneModel({
    mediaDevices: options.media === false ? undefined : media,
    permissions:
      options.permissions === false
        ? undefined
        : {
            query: async (descriptor: PermissionDescriptor) => {
              expect(descriptor).toEqual({ name: 'microphone' });
              return status as unknown as PermissionStatus;
            },
          },
    notifyChanged: async () => {
      notified++;
      return null;
    },
  });
  return model;
}

beforeEach(() => {
  fakeBrowser.reset();
  setLogLevel('error');
  media = new FakeMedia();
  status = new FakePermissionStatus('prompt');
  notified = 0;
});

afterEach(() => {
  model.dispose();
});

describe('MicrophoneModel', () => {
  it('reads the permission at start without bothering the engine', async () => {
    status.state = 'granted';
    await create().start();
    expect(model.state.value).toBe('granted');
    expect(notified).toBe(0);
  });

  it('asks, releases the microphone at once and tells the engine once', async () => {
    await create().start();
    expect(model.state.value).toBe('prompt');
    media.onGrant = () => status.change('granted');

    await model.request();

    expect(model.state.value).toBe('granted');
    expect(media.stopped).toEqual([1, 2]);
    expect(model.requesting.value).toBe(false);
    expect(notified).toBe(1);
  });

  it('follows changes the user makes in the site settings', async () => {
    await create().start();
    status.change('granted');
    expect(model.state.value).toBe('granted');
    status.change('denied');
    expect(model.state.value).toBe('denied');
    expect(notified).toBe(2);

    model.dispose();
    status.change('granted');
    expect(model.state.value).toBe('denied');
  });

  it.each<[string, PermissionState, string]>([
    ['NotAllowedError', 'denied', 'denied'],
    ['NotAllowedError', 'prompt', 'dismissed'],
    ['NotFoundError', 'prompt', 'no-device'],
    ['AbortError', 'prompt', 'denied'],
  ])('shows a %s with the permission %s as %s', async (name, permission, state) => {
    status.state = permission;
    await create().start();
    media.outcome = domError(name);
    await model.request();
    expect(model.state.value).toBe(state);
    expect(notified).toBe(0);
  });

  it('works without the permissions API, from the request alone', async () => {
    await create({ permissions: false }).start();
    expect(model.state.value).toBe('unknown');
    await model.request();
    expect(model.state.value).toBe('granted');
    expect(notified).toBe(1);
  });

  it('says so when the page has no mediaDevices, and asks nothing', async () => {
    await create({ media: false }).start();
    expect(model.state.value).toBe('unsupported');
    await model.request();
    expect(media.requests).toBe(0);
  });
});
