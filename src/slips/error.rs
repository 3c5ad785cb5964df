//! Why a slip could not be produced.

use std::path::PathBuf;

/// Everything that can stop a slip from being rendered.
///
/// Each variant carries what the clerk's message needs: the font's path, or the
/// characters the font cannot draw.
#[derive(Debug, Clone, thiserror::Error)]
pub enum SlipError {
    /// The slip font file is not where the configuration says it is.
    #[error("slip font not found: {}", path.display())]
    FontMissing {
        /// Where the font was looked for.
        path: PathBuf,
    },
    /// The slip font file exists but could not be read.
    #[error("slip font {} could not be read: {detail}", path.display())]
    FontUnreadable {
        /// The font file.
        path: PathBuf,
        /// What the operating system said.
        detail: String,
    },
    /// The file was read but is not a font that can be parsed and embedded.
    #[error("{} is not a usable OpenType/TrueType font", path.display())]
    FontInvalid {
        /// The file that failed to parse.
        path: PathBuf,
    },
    /// The slip contains characters the font has no glyph for; printing would leave
    /// blanks or boxes where e.g. part of a customer's name should be.
    #[error("the slip font has no glyph for: {}", format_chars(.0))]
    MissingGlyphs(Vec<char>),
    /// The PDF writer failed (e.g. the font could not be subset).
    #[error("slip rendering failed: {0}")]
    Render(String),
}

/// Shows each character together with its code point, because a missing glyph is
/// often invisible (or a box) in the terminal too.
fn format_chars(chars: &[char]) -> String {
    chars
        .iter()
        .map(|c| format!("{c} (U+{:04X})", u32::from(*c)))
        .collect::<Vec<_>>()
        .join(", ")
}
