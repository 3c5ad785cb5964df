//! The scans that records name, sent as objects of their own: HQ is asked
//! which of them it lacks, only those are sent, each once, and each is
//! marked held when HQ says so. A scan two records name is one object.

use super::link::Link;
use super::SyncError;
use crate::store::scans;
use crate::store::Store;

/// Objects asked about in one question.
const ASK: usize = 100;

/// Sends what HQ lacks of the scans named on file; how many were sent.
pub fn send(store: &mut Store, link: &Link) -> Result<i64, SyncError> {
    let unsent = scans::unsent(store.conn())?;
    let folder = scans::folder(store.path());
    let mut sent = 0;
    for chunk in unsent.chunks(ASK) {
        let shas: Vec<String> = chunk.iter().map(|(s, _)| s.clone()).collect();
        let missing = link.missing(&shas)?;
        for (sha, kind) in chunk.iter().filter(|(s, _)| missing.contains(s)) {
            let path = scans::path_of(&folder, sha);
            let bytes = std::fs::read(&path).map_err(|e| {
                SyncError::Store(crate::msg!(
                    "scan.object_missing",
                    file = path.display(),
                    detail = e
                ))
            })?;
            link.put_object(sha, kind.media_type(), &bytes)?;
            sent += 1;
        }
        store.scratch(|tx, now| scans::mark_sent(tx, &shas, now))?;
    }
    Ok(sent)
}
