//! Printed notice slips: what each slip says (built from what is stored),
//! the PDF renderer with a CJK font embedded as a subset, the spool folder
//! and the CUPS printer, and a text preview.

pub mod case;
pub mod consultation;
pub mod content;
pub mod doc;
pub mod error;
pub mod font;
pub mod kind;
pub mod money;
pub mod pdf;
pub mod printer;
pub mod source;
pub mod spool;
