//! The built binary in a pseudo-terminal, read through a vt100 parser.

use std::io::{Read, Write};
use std::sync::mpsc::{channel, Receiver};
use std::time::{Duration, Instant};

use portable_pty::{native_pty_system, CommandBuilder, PtySize};

/// A running counterdesk in a 100×30 pseudo-terminal.
pub struct Term {
    pub parser: vt100::Parser,
    pub rx: Receiver<Vec<u8>>,
    pub writer: Box<dyn Write + Send>,
    pub child: Box<dyn portable_pty::Child + Send + Sync>,
}

impl Term {
    pub fn start(args: &[&str]) -> Term {
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_counterdesk"));
        for a in args {
            cmd.arg(a);
        }
        Term::spawn(cmd)
    }

    /// The binary started by `bash -c SCRIPT` (the script ends with
    /// `exec "$0" "$@"`), e.g. to set resource limits first.
    #[allow(dead_code)]
    pub fn start_under_bash(script: &str, args: &[&str]) -> Term {
        let mut cmd = CommandBuilder::new("bash");
        cmd.arg("-c");
        cmd.arg(script);
        cmd.arg(env!("CARGO_BIN_EXE_counterdesk"));
        for a in args {
            cmd.arg(a);
        }
        Term::spawn(cmd)
    }

    pub fn spawn(mut cmd: CommandBuilder) -> Term {
        let pty = native_pty_system()
            .openpty(PtySize {
                rows: 30,
                cols: 100,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("pty");
        cmd.env("TERM", "xterm-256color");
        cmd.env("HOME", std::env::temp_dir());
        // Terminals run side by side: each display on a port of its own
        // unless the test chose one.
        if cmd.get_env("COUNTERDESK_DISPLAY").is_none() {
            cmd.env("COUNTERDESK_DISPLAY", "127.0.0.1:0");
        }
        // Every level of the workstation's log, kept for the suite's check
        // for personal data (unless the test watches a log of its own).
        if cmd.get_env("COUNTERDESK_LOG").is_none() {
            cmd.env("COUNTERDESK_LOG", super::log_file_for_binary());
        }
        if cmd.get_env("COUNTERDESK_LOG_LEVEL").is_none() {
            cmd.env("COUNTERDESK_LOG_LEVEL", "trace");
        }
        cmd.cwd(env!("CARGO_MANIFEST_DIR"));
        let child = pty.slave.spawn_command(cmd).expect("spawn");
        drop(pty.slave);
        let mut reader = pty.master.try_clone_reader().expect("reader");
        let writer = pty.master.take_writer().expect("writer");
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                    break;
                }
            }
        });
        // Keep the master alive as long as the child runs.
        std::mem::forget(pty.master);
        Term {
            parser: vt100::Parser::new(30, 100, 0),
            rx,
            writer,
            child,
        }
    }

    pub fn pump(&mut self) {
        while let Ok(bytes) = self.rx.try_recv() {
            self.parser.process(&bytes);
        }
    }

    pub fn contents(&mut self) -> String {
        self.pump();
        self.parser.screen().contents()
    }

    pub fn wait_for(&mut self, text: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let screen = self.contents();
            if screen.contains(text) {
                return screen;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {text:?}; screen:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(30));
        }
    }

    pub fn send(&mut self, bytes: &str) {
        self.writer.write_all(bytes.as_bytes()).expect("write");
        self.writer.flush().expect("flush");
        std::thread::sleep(Duration::from_millis(60));
    }
}

impl Term {
    /// Waits until `text` is off the screen: a key sent right after an Esc
    /// would reach the program in the same read as the Esc, which a
    /// terminal program takes for an Alt chord, as a person never types it.
    pub fn wait_gone(&mut self, text: &str) {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let screen = self.contents();
            if !screen.contains(text) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {text:?} to go; screen:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(30));
        }
    }

    /// Like `wait_for`, but `None` on time-out instead of failing.
    pub fn try_wait_for(&mut self, text: &str) -> Option<String> {
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            let s = self.contents();
            if s.contains(text) {
                return Some(s);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }
}
