//! One pod log stream end to end: bytes → lines → (resume filter, window) → buffer.

use super::buffer::{split_timestamp, LogBuffer};
use super::resume::ResumeCursor;
use super::splitter::{LineSplitter, RawLine, DEFAULT_MAX_LINE_BYTES};
use super::view_state::LogWindow;

/// The state of one `pods/log` stream of one pod (current or previous container).
#[derive(Clone, Debug)]
pub struct PodStream {
    /// Pod index in the buffer's pod table.
    pub pod: u16,
    /// Previous container instance.
    pub previous: bool,
    window: LogWindow,
    splitter: LineSplitter,
    cursor: ResumeCursor,
    lines: u64,
}

impl PodStream {
    /// A stream that has received nothing.
    pub fn new(pod: u16, previous: bool, window: LogWindow) -> Self {
        Self {
            pod,
            previous,
            window,
            splitter: LineSplitter::new(DEFAULT_MAX_LINE_BYTES),
            cursor: ResumeCursor::new(),
            lines: 0,
        }
    }

    /// Lines this stream put into the buffer.
    pub fn lines(&self) -> u64 {
        self.lines
    }

    /// The resume cursor.
    pub fn cursor(&self) -> &ResumeCursor {
        &self.cursor
    }

    /// Feeds a chunk of the response body; returns how many lines were inserted.
    pub fn feed(&mut self, chunk: &[u8], buffer: &mut LogBuffer) -> usize {
        let mut n = 0;
        for line in self.splitter.push(chunk) {
            n += usize::from(self.insert(line, buffer));
        }
        n
    }

    /// The body ended and will not be resumed: inserts a last line without `\n`.
    pub fn finish(&mut self, buffer: &mut LogBuffer) -> usize {
        match self.splitter.finish() {
            Some(l) => usize::from(self.insert(l, buffer)),
            None => 0,
        }
    }

    /// The body ended (error, server timeout, `limitBytes`) and the stream will be requested
    /// again: drops the unfinished line (the replay repeats it whole), arms the replay filter
    /// and returns the `sinceTime` second to request (`None`: nothing seen yet, request the
    /// window again).
    pub fn reconnect(&mut self) -> Option<i64> {
        self.splitter = LineSplitter::new(DEFAULT_MAX_LINE_BYTES);
        self.cursor.resume();
        self.cursor.since_time_seconds()
    }

    fn insert(&mut self, line: RawLine, buffer: &mut LogBuffer) -> bool {
        let (ts, rest) = split_timestamp(&line.text);
        if !self.cursor.admit(ts) || !self.window.admits(ts) {
            return false;
        }
        let cut = line.text.len() - rest.len();
        let mut text = line.text;
        text.drain(..cut);
        buffer.insert(self.pod, self.previous, ts, text, line.truncated);
        self.lines += 1;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resumes_without_duplicates_after_a_cut_mid_line() {
        let mut b = LogBuffer::new(100);
        let mut s = PodStream::new(0, false, LogWindow::default());
        let body = "2022-09-05T10:15:32.000000001Z one\n2022-09-05T10:15:32.000000002Z two\n2022-09-05T10:15:32.000000002Z three\n2022-09-05T10:15:33.000000001Z fo";
        assert_eq!(s.feed(body.as_bytes(), &mut b), 3);
        assert_eq!(s.reconnect(), Some(1_662_372_932));
        let replay = "2022-09-05T10:15:32.000000001Z one\n2022-09-05T10:15:32.000000002Z two\n2022-09-05T10:15:32.000000002Z three\n2022-09-05T10:15:33.000000001Z four\n";
        assert_eq!(s.feed(replay.as_bytes(), &mut b), 1);
        let texts: Vec<&str> = b.iter().map(|e| &*e.text).collect();
        assert_eq!(texts, ["one", "two", "three", "four"]);
        assert_eq!(s.lines(), 4);
        assert_eq!(s.feed(b"no newline", &mut b), 0);
        assert_eq!(s.finish(&mut b), 1);
        assert_eq!(b.get(4).unwrap().ts, None);
        assert_eq!(s.cursor().count_at_last(), 1);
    }

    #[test]
    fn custom_window_drops_lines_after_its_end() {
        let mut b = LogBuffer::new(100);
        let mut s = PodStream::new(
            0,
            false,
            LogWindow::Custom {
                start: 1_662_372_932,
                end: 1_662_372_932,
            },
        );
        let body = "2022-09-05T10:15:31.5Z before\n2022-09-05T10:15:32.5Z in\n2022-09-05T10:15:33Z after\n";
        assert_eq!(s.feed(body.as_bytes(), &mut b), 1);
        assert_eq!(&*b.get(0).unwrap().text, "in");
    }
}
