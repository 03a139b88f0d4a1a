// The migrations are embedded by `embed_migrations!`, which cargo does not watch:
// rebuild when any of them changes.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
