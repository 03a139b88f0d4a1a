// The Copy button of a link to hand on (templates/auth/copy_link.hbs): selects the link
// and copies it. Without this script the button still puts the focus in the field.
document.addEventListener('click', function (event) {
  var button = event.target.closest('[data-copy]');
  if (!button) return;
  var field = document.getElementById(button.getAttribute('data-copy'));
  if (!field) return;
  event.preventDefault();
  field.focus();
  field.select();
  var status = document.getElementById(field.id + '-status');
  var done = function () { if (status) status.textContent = 'Copied. Paste it into your message.'; };
  if (navigator.clipboard && navigator.clipboard.writeText) {
    navigator.clipboard.writeText(field.value).then(done, function () { document.execCommand('copy'); done(); });
  } else {
    document.execCommand('copy');
    done();
  }
});
