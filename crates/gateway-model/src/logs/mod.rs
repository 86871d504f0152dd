//! Pure logic of the Gateway Logs viewer: the `controller` logs of a gateway's pods streamed
//! through the Kubernetes API (`pods/{pod}/log?timestamps=true`), merged by time into one
//! bounded buffer, filtered or searched, shown as lines or as an access table, exported.
//!
//! Data flow in the UI:
//! 1. [`view_state::LogViewState::from_query`] reads the URL; [`request::follow_plan`] picks the
//!    pods to follow; [`request::LogRequest::url`] builds each pod's URL.
//! 2. Each response body feeds a [`stream::PodStream`] (a [`splitter::LineSplitter`] and a
//!    [`resume::ResumeCursor`]) that inserts lines into the shared [`buffer::LogBuffer`]; when a
//!    stream ends, [`stream::PodStream::reconnect`] gives the `sinceTime` to resume with.
//! 3. [`query::LogQuery::compile`] on each keystroke; a [`query::FilterView`] keeps the visible
//!    rows (and find hits) incrementally; rows render with [`ansi::parse`],
//!    [`query::CompiledQuery::find_ranges`] and [`ansi::segments`], prefixed by
//!    [`export::line_prefix`].
//! 4. The table: [`table::access_rows`] with the gateway's [`format::AccessParser`],
//!    [`table::sort_rows`], [`table::AccessStats::of`].
//! 5. Download: [`export::export_text`] of the visible rows.
//!
//! Nothing here reads a clock, spawns, or touches the file system; nothing panics on any input.

pub mod ansi;
pub mod buffer;
pub mod class;
pub mod export;
pub mod format;
pub mod query;
pub mod request;
pub mod resume;
pub mod splitter;
pub mod stream;
pub mod table;
pub mod time;
pub mod view_state;

pub use buffer::{LogBuffer, LogEntry, PodInfo, PodTable};
pub use class::{LineClass, Severities};
pub use format::{AccessFields, AccessFormat, AccessParser};
pub use query::{CompiledQuery, FilterView, LogQuery, QueryError, SearchMode};
pub use resume::ResumeCursor;
pub use splitter::{LineSplitter, RawLine};
pub use stream::PodStream;
pub use view_state::LogViewState;
