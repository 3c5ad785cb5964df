//! The customer manager (客户经理制): every case gets the manager of the
//! service grid its supply address lies in — HQ's table first, else the
//! hall's own — unless the clerk chooses another and says why.

use super::draft::Draft;
use super::{Desk, DeskError, Session};
use crate::domain::grid::{self, Manager, Source};
use crate::domain::msg::Input;
use crate::msg;

pub use crate::domain::grid::Chosen;

const MAX_NAME: usize = 20;

impl Desk {
    /// The manager of the grid `address` lies in: HQ's table first, then
    /// the hall's own.
    pub fn manager_for(&self, address: Option<&str>) -> Result<Option<Manager>, DeskError> {
        let Some(address) = address.map(str::trim).filter(|a| !a.is_empty()) else {
            return Ok(None);
        };
        if let Some(g) = crate::store::hq_feed::grid_for(self.store.conn(), address)? {
            return Ok(Some(Manager {
                name: g.manager,
                phone: g.phone,
                grid: Some(g.name),
                source: Source::Hq,
            }));
        }
        Ok(grid::find(&self.grids, address).map(|g| Manager {
            name: g.manager.clone(),
            phone: g.phone.clone(),
            grid: Some(g.name.clone()),
            source: Source::Local,
        }))
    }

    /// The manager a draft's case will get: the one chosen, else the grid's.
    pub fn manager_of_draft(
        &self,
        draft: &Draft,
        address: Option<&str>,
    ) -> Result<Option<Manager>, DeskError> {
        match &draft.manager {
            Some(c) => Ok(Some(c.manager())),
            None => self.manager_for(address),
        }
    }

    /// Chooses another manager for the draft's case (checked: a name, a
    /// phone that is one, a reason), and saves the draft.
    pub fn choose_manager(
        &mut self,
        session: &Session,
        draft: &Draft,
        chosen: &Chosen,
    ) -> Result<Draft, DeskError> {
        let name = chosen.name.trim();
        if name.is_empty() || name.chars().count() > MAX_NAME {
            return Err(DeskError::at(msg!("grid.name_empty"), Input::Name));
        }
        let phone = crate::domain::customer::validate_phone(&chosen.phone)
            .map_err(|m| DeskError::at(m, Input::Phone))?;
        if chosen.reason.trim().is_empty() {
            return Err(DeskError::at(msg!("grid.reason_empty"), Input::Reason));
        }
        let mut draft = draft.clone();
        draft.manager = Some(Chosen {
            name: name.to_string(),
            phone,
            reason: chosen.reason.trim().to_string(),
        });
        self.save_draft(session, &draft)?;
        Ok(draft)
    }
}
