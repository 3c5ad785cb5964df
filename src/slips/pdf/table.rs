//! Tables: column widths from weights, wrapped cells, rows split across pages
//! with the header repeated.

use super::item::Item;
use super::layout::Layout;
use super::wrap::wrap;
use super::{CELL_PAD_X, CELL_PAD_Y, TABLE_GAP};

impl Layout<'_> {
    /// Column widths in points from the relative weights; a missing or zero
    /// weight counts as 1.
    fn columns(&self, headers: &[String], rows: &[Vec<String>], widths: &[u16]) -> Vec<f32> {
        let ncols = rows
            .iter()
            .map(Vec::len)
            .chain(std::iter::once(headers.len()))
            .max()
            .unwrap_or(0);
        let weights: Vec<f32> = (0..ncols)
            .map(|i| f32::from(widths.get(i).copied().filter(|w| *w > 0).unwrap_or(1)))
            .collect();
        let total: f32 = weights.iter().sum();
        weights.iter().map(|w| self.g.width() * w / total).collect()
    }

    /// The cells of one row, each wrapped to its column.
    fn wrap_cells(&self, cells: &[String], col_w: &[f32]) -> Vec<Vec<String>> {
        let body = self.g.body;
        col_w
            .iter()
            .enumerate()
            .map(|(i, w)| {
                let cell = cells.get(i).map(String::as_str).unwrap_or("");
                let w = (w - 2.0 * body * CELL_PAD_X).max(body);
                wrap(self.font, cell, body, w, w)
            })
            .collect()
    }

    fn cells_height(&self, cells: &[Vec<String>]) -> f32 {
        let lines = cells.iter().map(Vec::len).max().unwrap_or(0).max(1);
        lines as f32 * self.g.lh(self.g.body) + 2.0 * self.g.body * CELL_PAD_Y
    }

    /// Height a table needs at the bottom of a page before it is worth starting
    /// there: the header and (up to two lines of) the first row.
    pub(super) fn table_start(
        &self,
        headers: &[String],
        rows: &[Vec<String>],
        widths: &[u16],
    ) -> f32 {
        let col_w = self.columns(headers, rows, widths);
        let body = self.g.body;
        let header_h = if headers.is_empty() {
            0.0
        } else {
            self.cells_height(&self.wrap_cells(headers, &col_w))
        };
        let first_h = rows
            .first()
            .map_or(0.0, |r| self.cells_height(&self.wrap_cells(r, &col_w)));
        let two_lines = 2.0 * self.g.lh(body) + 2.0 * body * CELL_PAD_Y;
        body * TABLE_GAP + header_h + first_h.min(two_lines)
    }

    pub(super) fn table(&mut self, headers: &[String], rows: &[Vec<String>], widths: &[u16]) {
        let col_w = self.columns(headers, rows, widths);
        if col_w.is_empty() {
            return;
        }
        let body = self.g.body;
        let lh = self.g.lh(body);
        let pad_y = body * CELL_PAD_Y;
        let header = (!headers.is_empty()).then(|| self.wrap_cells(headers, &col_w));
        let header_h = header.as_ref().map_or(0.0, |h| self.cells_height(h));

        // Never leave the header alone at the bottom of a page.
        self.ensure(self.table_start(headers, rows, widths));
        self.y += body * TABLE_GAP;
        if let Some(h) = &header {
            self.row(h, &col_w, Some(0.9));
        }
        for row in rows {
            let cells = self.wrap_cells(row, &col_w);
            let row_h = self.cells_height(&cells);
            let room = self.bottom - self.top - header_h;
            if self.y + row_h > self.bottom && row_h <= room {
                self.table_break(header.as_deref(), &col_w);
            }
            // A row taller than a page is split between lines, repeating the
            // header on each new page.
            let total_lines = cells.iter().map(Vec::len).max().unwrap_or(0).max(1);
            let mut from = 0;
            let mut fresh = false;
            while from < total_lines {
                let fit = ((self.bottom - self.y - 2.0 * pad_y) / lh + 0.01).floor();
                if fit < 1.0 && !fresh {
                    self.table_break(header.as_deref(), &col_w);
                    fresh = true;
                    continue;
                }
                // Even if a monstrous header leaves no room, print a line per
                // page rather than loop forever.
                let to = (from + fit.max(1.0) as usize).min(total_lines);
                let slice: Vec<Vec<String>> = cells
                    .iter()
                    .map(|c| {
                        c.get(from.min(c.len())..to.min(c.len()))
                            .unwrap_or(&[])
                            .to_vec()
                    })
                    .collect();
                self.row(&slice, &col_w, None);
                from = to;
                fresh = false;
            }
        }
        self.y += body * 0.4;
    }

    fn table_break(&mut self, header: Option<&[Vec<String>]>, col_w: &[f32]) {
        self.new_page();
        if let Some(h) = header {
            self.row(h, col_w, Some(0.9));
        }
    }

    /// One table row of already-wrapped cells, ruled on all sides.
    fn row(&mut self, cells: &[Vec<String>], col_w: &[f32], grey: Option<f32>) {
        let body = self.g.body;
        let lh = self.g.lh(body);
        let pad_x = body * CELL_PAD_X;
        let pad_y = body * CELL_PAD_Y;
        let h = self.cells_height(cells);
        let mut x = self.g.margin;
        let y = self.y;
        for (cell, w) in cells.iter().zip(col_w) {
            self.items().push(Item::Rect {
                x,
                y,
                w: *w,
                h,
                grey,
                border: Some(0.6),
            });
            let mut top = y + pad_y;
            for line in cell {
                self.text(x + pad_x, top, body, line);
                top += lh;
            }
            x += w;
        }
        self.y += h;
    }
}
