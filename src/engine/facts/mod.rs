//! Facts about the site beyond its files' integrity: accounts and rows of its SQL dumps,
//! the hosting account around it, the secrets in its config files, and when the break-in
//! most probably began.

pub mod account;
pub mod dating;
pub mod logs;
pub mod secrets;
pub mod sqldump;
pub mod timeline;
