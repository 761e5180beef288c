/**
 * Types shared by the phone-number detection engine (pure, on strings), the DOM scanner that feeds
 * it and the click-to-call UI that shows its results.
 */

/** What the scanner knows about where a piece of text sits, beyond its characters. */
export interface TextContext {
  /**
   * Nearby label text: the column header of the table cell, the `<label>` of an input, the text of a
   * preceding `<dt>`/`<th>`/label-like element, or the input's `name`/`autocomplete`/`type`
   * attributes. Used to accept ("Тел.", "Phone", `type=tel`) or reject ("ИНН", "Order #", "IP").
   */
  label?: string;
  /** The text is a `tel:`/`sip:` link's target (then the digits are trusted as a phone number). */
  fromTelLink?: boolean;
  /** The text is an input's value (amoCRM shows card phones in inputs). */
  fromInput?: boolean;
  /**
   * For the visible text of a `tel:`/`sip:` link: the number its `href` dials (`+74951234567`,
   * `+74951234567;ext=12`). Lets the link count once: found in the text when the text shows it, from
   * the href otherwise.
   */
  telTarget?: string;
}

/** What {@link detectPhoneNumbers} needs besides the text. */
export interface DetectOptions {
  /** ISO 3166-1 alpha-2 region for numbers written without a country code. */
  defaultRegion: string;
  context?: TextContext;
}

/** One phone number found in a string. */
export interface Detection {
  /** Index of the first character of the number in the searched string. */
  start: number;
  /** Index just past the number (an extension, when present, is inside [start, end)). */
  end: number;
  /** The number in E.164, e.g. `+79161234567`. */
  e164: string;
  /** Extension digits (доб., вн., ext., x, #), kept apart from the number. */
  ext?: string;
}
