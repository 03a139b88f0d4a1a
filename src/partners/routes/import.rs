//! The portal's employers import: the upload form, and the file checked whole and
//! written all or nothing (the same import as `waypoint import employers`).

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use futures_util::TryStreamExt;

use crate::auth::csrf::CsrfChecked;
use crate::auth::extract::EmployerStaff;
use crate::core::{Clock, Error};
use crate::db::{self, Pool};
use crate::partners::import::{import_employers, OPTIONAL, REQUIRED};
use crate::partners::views::ImportPage;
use crate::web::pages::{context, html};
use crate::web::{AppError, Templates};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/employers/import", web::get().to(import_page)).route("/employers/import", web::post().to(upload));
}

fn page(problems: Vec<String>, counts: Option<crate::csv_import::ImportCounts>, file: Option<String>) -> ImportPage {
    ImportPage { required: &REQUIRED, optional: &OPTIONAL, problems, counts, file }
}

async fn import_page(staff: EmployerStaff, templates: web::Data<Templates>) -> Result<HttpResponse, AppError> {
    templates.page("partners/import", context("Import employers", Some(&staff), page(Vec::new(), None, None)))
}

/// The largest file the upload takes (a few thousand employers fit in far less).
const MAX_UPLOAD: usize = 5 * 1024 * 1024;

/// The uploaded file's name (as a label in problems: no path, no control characters)
/// and its bytes.
pub(crate) async fn read_upload(mut payload: Multipart) -> Result<(String, Vec<u8>), AppError> {
    let unreadable =
        |e: actix_multipart::MultipartError| AppError::BadRequest(format!("the upload could not be read: {e}"));
    let mut file_name = String::from("upload.csv");
    let mut bytes: Vec<u8> = Vec::new();
    while let Some(mut field) = payload.try_next().await.map_err(unreadable)? {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "file" {
            if let Some(f) = field.content_disposition().and_then(|cd| cd.get_filename()) {
                file_name = f.chars().filter(|c| !c.is_control() && *c != '/' && *c != '\\').collect();
            }
        }
        let mut value = Vec::new();
        while let Some(chunk) = field.try_next().await.map_err(unreadable)? {
            if value.len() + chunk.len() > MAX_UPLOAD {
                return Err(AppError::BadRequest("the file is larger than 5 MB".into()));
            }
            value.extend_from_slice(&chunk);
        }
        if name == "file" {
            bytes = value;
        }
    }
    Ok((file_name, bytes))
}

async fn upload(
    staff: EmployerStaff,
    _csrf: CsrfChecked,
    pool: web::Data<Pool>,
    templates: web::Data<Templates>,
    clock: web::Data<Clock>,
    payload: Multipart,
) -> Result<HttpResponse, AppError> {
    let (file_name, bytes) = read_upload(payload).await?;
    let actor = staff.principal.actor();
    let (today, now) = (clock.today(), clock.now_utc());
    let label = file_name.clone();
    let result =
        db::run(&pool, move |conn| import_employers(conn, &label, std::io::Cursor::new(bytes), &actor, today, now))
            .await;
    // A refused file is shown again with every problem (422); any other failure is an error page.
    let (view, status) = match result {
        Ok(counts) => (page(Vec::new(), Some(counts), Some(file_name)), StatusCode::OK),
        Err(Error::Invalid(p)) => {
            (page(p.iter().map(ToString::to_string).collect(), None, Some(file_name)), StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(e) => return Err(e.into()),
    };
    let body = templates.render("partners/import", context("Import employers", Some(&staff), &view))?;
    Ok(html(status, body))
}
