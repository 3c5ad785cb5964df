//! Handing a slip file to the system's CUPS queue with `lp -d NAME`.

use std::path::Path;
use std::process::Command;

/// Sends `file` to the CUPS queue `printer`; Ok(job line) or the reason in
/// the words of `lp` (no such printer, scheduler not running...).
pub fn send(printer: &str, file: &Path) -> Result<String, String> {
    queue_state(printer)?;
    let out = Command::new("lp")
        .arg("-d")
        .arg(printer.trim())
        .arg("-t")
        .arg(
            file.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
        )
        .arg(file)
        .output()
        .map_err(|e| format!("lp: {e}"))?;
    let stdout = String::from_utf8_lossy(&out.stdout).trim().to_string();
    let stderr = String::from_utf8_lossy(&out.stderr).trim().to_string();
    if out.status.success() {
        Ok(stdout)
    } else if stderr.is_empty() {
        Err(format!("lp exited with {}", out.status))
    } else {
        Err(stderr)
    }
}

/// The queue's state as `lpstat -p` says it when it takes jobs; the reason
/// when it does not. A stopped (disabled) queue still accepts jobs and then
/// holds them: that is said now instead of letting the customer wait for
/// paper.
pub fn queue_state(printer: &str) -> Result<String, String> {
    if printer.trim().is_empty() {
        return Err("no printer configured".into());
    }
    let state = Command::new("lpstat")
        .arg("-p")
        .arg(printer.trim())
        .output()
        .map_err(|e| format!("lpstat: {e}"))?;
    let state_text = String::from_utf8_lossy(&state.stdout).to_string()
        + &String::from_utf8_lossy(&state.stderr);
    if !state.status.success() || state_text.contains("disabled") {
        return Err(state_text.trim().to_string());
    }
    Ok(state_text.trim().to_string())
}
