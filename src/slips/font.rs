//! The slip font: parsed once, shared by every render.

use std::collections::HashSet;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, PoisonError};

use printpdf::ParsedFont;

use super::error::SlipError;

/// A parsed OpenType/TrueType font ready for measuring and embedding.
///
/// Parsing the CJK font takes tens of milliseconds and it is ~16 MB, so load it
/// once (see [`loader`]) and share it through an `Arc`.
pub struct SlipFont {
    face: ParsedFont,
    units_per_em: f32,
}

impl std::fmt::Debug for SlipFont {
    // The parsed face is megabytes of tables; its name is what a log needs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SlipFont")
            .field("name", &self.face.font_name)
            .field("glyphs", &self.face.num_glyphs())
            .finish()
    }
}

// The font is loaded on a background thread and shared with the render thread.
const _: () = {
    const fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<SlipFont>();
};

impl SlipFont {
    /// Parses a font from its bytes (a single-face .otf or .ttf).
    pub fn from_bytes(bytes: Vec<u8>) -> Result<SlipFont, SlipError> {
        Self::parse(&bytes, Path::new("(in memory)"))
    }

    /// Reads and parses the font file at `path`.
    pub fn load(path: &Path) -> Result<SlipFont, SlipError> {
        let bytes = std::fs::read(path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => SlipError::FontMissing {
                path: path.to_path_buf(),
            },
            _ => SlipError::FontUnreadable {
                path: path.to_path_buf(),
                detail: e.to_string(),
            },
        })?;
        Self::parse(&bytes, path)
    }

    fn parse(bytes: &[u8], path: &Path) -> Result<SlipFont, SlipError> {
        let invalid = || SlipError::FontInvalid {
            path: path.to_path_buf(),
        };
        // A damaged file must become an error message, not a crashed workstation,
        // and the parser is third-party code that may panic on malformed tables.
        let face = catch_unwind(AssertUnwindSafe(|| {
            ParsedFont::from_bytes(bytes, 0, &mut Vec::new())
        }))
        .map_err(|_| invalid())?
        .ok_or_else(invalid)?;
        // A face without a character map or embeddable bytes would render blanks.
        if face.cmap_subtable.is_none() || !face.has_source_bytes() {
            return Err(invalid());
        }
        let units_per_em = match face.pdf_font_metrics.units_per_em {
            0 => 1000.0,
            upem => f32::from(upem),
        };
        Ok(SlipFont { face, units_per_em })
    }

    /// Characters of `text` that this font cannot draw, each listed once in order of
    /// first appearance. Whitespace, control and invisible formatting characters
    /// (zero-width joiners, variation selectors, …) are not reported: they print as
    /// nothing either way.
    pub fn missing_chars(&self, text: &str) -> Vec<char> {
        let mut seen = HashSet::new();
        text.chars()
            .filter(|&c| needs_glyph(c) && !self.has_glyph(c))
            .filter(|&c| seen.insert(c))
            .collect()
    }

    /// Width of `text` set at `size_pt`, in points, from the font's advance widths
    /// (the same widths the PDF viewer uses, since no kerning is applied).
    pub fn width_pt(&self, text: &str, size_pt: f32) -> f32 {
        let units: u32 = text.chars().map(|c| u32::from(self.advance(c))).sum();
        units as f32 * size_pt / self.units_per_em
    }

    /// Whether the font maps `c` to a glyph.
    pub(crate) fn has_glyph(&self, c: char) -> bool {
        self.face.lookup_glyph_index(u32::from(c)).is_some()
    }

    /// Advance of one character in font units; characters without a glyph take no
    /// room, except whitespace, which is drawn as a space.
    fn advance(&self, c: char) -> u16 {
        match self.face.lookup_glyph_index(u32::from(c)) {
            Some(gid) => self.face.get_horizontal_advance(gid),
            None if c.is_whitespace() => self
                .face
                .lookup_glyph_index(u32::from(' '))
                .map_or(0, |gid| self.face.get_horizontal_advance(gid)),
            None => 0,
        }
    }

    /// The parsed face, for embedding in a PDF.
    pub(crate) fn face(&self) -> &ParsedFont {
        &self.face
    }
}

/// Whether a character must have a glyph to be printed faithfully.
///
/// Whitespace and controls are laid out as space or line breaks; default-ignorable
/// characters (ZWJ, variation selectors, BOM, bidi controls) are invisible by
/// definition, so a font lacking them loses nothing.
pub(crate) fn needs_glyph(c: char) -> bool {
    !(c.is_whitespace() || c.is_control() || is_default_ignorable(c))
}

/// Unicode's Default_Ignorable_Code_Point set (DerivedCoreProperties.txt).
fn is_default_ignorable(c: char) -> bool {
    matches!(u32::from(c),
        0x00AD | 0x034F | 0x061C | 0x115F..=0x1160 | 0x17B4..=0x17B5 | 0x180B..=0x180F
        | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x206F | 0x3164 | 0xFE00..=0xFE0F
        | 0xFEFF | 0xFFA0 | 0xFFF0..=0xFFF8 | 0x1BCA0..=0x1BCA3 | 0x1D173..=0x1D17A
        | 0xE0000..=0xE0FFF)
}

/// Result slot shared between the loader thread and its handle.
type Slot = Option<Result<Arc<SlipFont>, SlipError>>;

/// A font being loaded on a background thread, so start-up is not held up by
/// parsing ~16 MB of CJK font.
#[derive(Debug, Clone)]
pub struct FontLoader {
    shared: Arc<(Mutex<Slot>, Condvar)>,
}

/// Starts loading the font at `path` on its own thread.
pub fn loader(path: PathBuf) -> FontLoader {
    loader_from(move || SlipFont::load(&path))
}

/// Starts `load` on its own thread, e.g. parsing a font built into the binary.
pub fn loader_from<F>(load: F) -> FontLoader
where
    F: FnOnce() -> Result<SlipFont, SlipError> + Send + 'static,
{
    let shared: Arc<(Mutex<Slot>, Condvar)> = Arc::new((Mutex::new(None), Condvar::new()));
    let for_thread = Arc::clone(&shared);
    let job = move || {
        // A panic while loading must still fill the slot, or `wait` would block
        // forever.
        let result = catch_unwind(AssertUnwindSafe(load))
            .unwrap_or_else(|_| Err(SlipError::Render("the font loader panicked".into())))
            .map(Arc::new);
        let (slot, ready) = &*for_thread;
        *slot.lock().unwrap_or_else(PoisonError::into_inner) = Some(result);
        ready.notify_all();
    };
    let spawn = std::thread::Builder::new()
        .name("slip-font".into())
        .spawn(job);
    if let Err(e) = spawn {
        // Without a thread the font can never arrive; say so instead of hanging.
        let (slot, _) = &*shared;
        *slot.lock().unwrap_or_else(PoisonError::into_inner) = Some(Err(SlipError::Render(
            format!("could not start the font loader thread: {e}"),
        )));
    }
    FontLoader { shared }
}

impl FontLoader {
    /// The font if loading has finished (successfully or not); `None` while it is
    /// still loading. Never blocks for long.
    pub fn get(&self) -> Option<Result<Arc<SlipFont>, SlipError>> {
        let (slot, _) = &*self.shared;
        slot.lock()
            .unwrap_or_else(PoisonError::into_inner)
            .as_ref()
            .map(|r| r.as_ref().map(Arc::clone).map_err(SlipError::clone))
    }

    /// Blocks until loading has finished and returns the outcome.
    pub fn wait(&self) -> Result<Arc<SlipFont>, SlipError> {
        let (slot, ready) = &*self.shared;
        let mut guard = slot.lock().unwrap_or_else(PoisonError::into_inner);
        loop {
            if let Some(result) = guard.as_ref() {
                return result.as_ref().map(Arc::clone).map_err(SlipError::clone);
            }
            guard = ready.wait(guard).unwrap_or_else(PoisonError::into_inner);
        }
    }
}
