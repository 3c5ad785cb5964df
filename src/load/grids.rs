//! The hall's own service grid table, from the file the configuration
//! names (none when it names none).

use crate::config::Config;
use crate::domain::grid::{self, Grid};
use crate::domain::problem::Problem;
use crate::msg;

/// The grids of the configured file; every problem at its line.
pub fn load(config: &Config) -> Result<Vec<Grid>, Vec<Problem>> {
    let path = &config.service_grid;
    if path.as_os_str().is_empty() {
        return Ok(Vec::new());
    }
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| {
        vec![Problem::new(
            &name,
            None,
            msg!("grid.unreadable", detail = e),
        )]
    })?;
    grid::parse(&name, &text)
}
