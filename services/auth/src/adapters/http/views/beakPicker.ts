import { html, type SafeHtml, trusted } from '@ates/platform/views';
import { beakShapes } from '../../../domain/beakShapes.ts';

function picture(path: string): SafeHtml {
  return trusted(
    `<svg viewBox="0 0 52 48" width="52" height="48" aria-hidden="true"><path d="${path}" fill="#f2a93b" stroke="#7a4a00" stroke-width="1.5"/></svg>`,
  );
}

/** The beak pictures as radio buttons; `selected` marks the current choice. */
export function beakPicker(
  name: string,
  selected: string | null,
  options: { allowNone: boolean; noneLabel: string },
): SafeHtml {
  return html`<fieldset class="beaks"><legend>Beak shape</legend>
${options.allowNone ? html`<label class="beak"><input type="radio" name="${name}" value="" ${selected ? '' : html`checked`}><span class="none">—</span><span>${options.noneLabel}</span></label>` : ''}
${beakShapes.map(
  (shape) =>
    html`<label class="beak"><input type="radio" name="${name}" value="${shape.id}" ${selected === shape.id ? html`checked` : ''}>${picture(shape.path)}<span>${shape.label}</span></label>`,
)}
</fieldset>`;
}
