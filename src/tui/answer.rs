//! A desk answer on a screen: its value, or the refusal shown where the
//! screen shows refusals, so screens do not each repeat the `Err(e) => …`
//! arm after every desk call.

use crate::desk::slips::Printed;
use crate::desk::DeskError;
use crate::domain::msg::Notice;
use crate::tui::form::Form;

/// Where a screen shows what the desk refused.
pub trait Refuses {
    /// Shows `e`: beside its field when the screen has that field, else as
    /// the screen's notice.
    fn refused(&mut self, e: &DeskError);
}

/// A screen's notice line, the plainest place for a refusal.
impl Refuses for Option<Notice> {
    fn refused(&mut self, e: &DeskError) {
        *self = Some(e.notice());
    }
}

/// A form and its screen's notice line: a refusal goes beside the form's
/// field when it names one, else to the notice.
pub struct InForm<'a>(pub &'a mut Form, pub &'a mut Option<Notice>);

impl Refuses for InForm<'_> {
    fn refused(&mut self, e: &DeskError) {
        if !self.0.refused(e) {
            *self.1 = Some(e.notice());
        }
    }
}

/// What a desk call gave a screen.
pub trait Answer<T> {
    /// The value, or `None` once `to` shows the refusal.
    fn or_refused(self, to: &mut impl Refuses) -> Option<T>;
}

impl<T> Answer<T> for Result<T, DeskError> {
    fn or_refused(self, to: &mut impl Refuses) -> Option<T> {
        self.map_err(|e| to.refused(&e)).ok()
    }
}

/// A print as the notice says it: printed, queued for the printer, or why
/// it was not.
pub fn printed(r: Result<Printed, DeskError>) -> Notice {
    match r {
        Ok(p) => p.notice(),
        Err(e) => e.notice(),
    }
}
