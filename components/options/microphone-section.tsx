import { tOptions } from '@/lib/i18n/options-messages';
import type { MicrophoneModel } from '@/lib/options/microphone-model';

/** Why the microphone must be allowed here, the button that asks, and the current state. */
export function MicrophoneSection({ model }: { model: MicrophoneModel }) {
  const state = model.state.value;
  const requesting = model.requesting.value;
  return (
    <section class="section" aria-labelledby="section-microphone">
      <h2 id="section-microphone">{tOptions('section.microphone')}</h2>
      <p>{tOptions('mic.explain')}</p>
      <div class="row">
        <button
          type="button"
          data-testid="microphone-allow"
          disabled={requesting || state === 'unsupported'}
          aria-busy={requesting}
          onClick={() => void model.request()}
        >
          {tOptions('mic.allow')}
        </button>
        <p
          class={`mic-status mic-status--${state}`}
          data-testid="microphone-status"
          data-state={requesting ? 'requesting' : state}
          role="status"
          aria-live="polite"
        >
          {requesting ? tOptions('mic.requesting') : tOptions(`mic.state.${state}`)}
        </p>
      </div>
    </section>
  );
}
