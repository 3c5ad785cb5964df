//! What a page holds once laid out: text, rules, boxes and dots at their
//! places, in points down from the top of the page. Layout makes them,
//! the PDF writer and the text preview read them.

/// Something drawn on a page.
#[derive(Debug, Clone)]
pub(super) enum Item {
    /// `top` is the top of the line box the text sits in.
    Text {
        x: f32,
        top: f32,
        size: f32,
        text: String,
    },
    Line {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        width: f32,
        dashed: bool,
    },
    /// A rectangle filled in grey (`grey`: 0 black … 1 white) and/or outlined.
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        grey: Option<f32>,
        border: Option<f32>,
    },
    Dot {
        cx: f32,
        cy: f32,
        r: f32,
    },
}
