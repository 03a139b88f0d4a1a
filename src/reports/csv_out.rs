//! How every report file is written: RFC 4180, UTF-8 with a byte-order mark, would-be
//! formulas neutralised. The writer lives in `core::csv`, so that every area's downloads
//! (a fair session's roster too) share it without importing the reports.

pub use crate::core::csv::{neutralise, record, Records, BOM};
