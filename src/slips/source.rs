//! Where the slip font comes from: the configured file, or the Noto Sans
//! CJK SC face built into the program so a fresh machine prints at once.

use crate::config::Config;
use crate::slips::font::{self, FontLoader, SlipFont};

/// Noto Sans CJK SC (SIL Open Font License, assets/fonts/OFL.txt).
pub static EMBEDDED_FONT: &[u8] = include_bytes!("../../assets/fonts/NotoSansCJKsc-Regular.otf");

/// Starts loading the configured font on a background thread.
pub fn start_loading(config: &Config) -> FontLoader {
    let path = config.slips.font.clone();
    if path.as_os_str().is_empty() {
        font::loader_from(|| SlipFont::from_bytes(EMBEDDED_FONT.to_vec()))
    } else {
        font::loader(path)
    }
}
