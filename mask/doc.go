// Package mask keeps secret values off the screen and out of logs.
//
// It offers six tools, each usable on its own and each depending only on
// the standard library, so that the app, the checker and learners' own
// programs can all import it:
//
//   - [Mask], [Partial], [PartialSuffix] and [Value] turn a value into a
//     display form. The full mask is always [Masked], whatever the length
//     of the value, so that the mask does not leak how long the secret is.
//   - [JSON] masks every leaf value of a JSON document and keeps its keys,
//     so a structured secret can be shown without its contents.
//   - [Secret] is a string type that prints masked through fmt, encoding/json,
//     encoding.TextMarshaler and log/slog; [Secret.Reveal] is the explicit way out.
//   - [Redactor] replaces known values (registered as the app fetches them)
//     and their common encodings in text, in streams ([Redactor.Writer]) and
//     in slog records ([NewHandler]).
//   - [LeakScanner] finds known values in a program's output and files in
//     every form a program prints them in (hex, base32, base64, escaped,
//     reversed, case-folded, interleaved, in fragments, compressed, nested)
//     and reports where and how, never what; the graders rely on it.
//   - [Detect] finds secret-looking strings (AWS keys, private keys, JWTs,
//     high-entropy values next to a keyword) and reports where they are,
//     never what they are.
//
// Values shorter than [MinLen] bytes are never registered with a Redactor:
// a three-letter secret would match everywhere and bury the output in
// masks, and is too weak to protect anything anyway.
package mask
