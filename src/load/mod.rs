//! Bringing the site's files in: the business forms and the holiday tables
//! from their folders (or the copies built into the program), and start-up,
//! which opens the desk.

pub mod calendar;
pub mod folder;
pub mod forms;
pub mod grids;
pub mod startup;
