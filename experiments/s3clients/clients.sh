#!/usr/bin/env bash
# Runs real S3 clients against an S3 endpoint: awscli v2 (/usr/bin/aws,
# s3 and s3api, a 10 MiB multipart upload, SSE-C), s3cmd, rclone and boto3
# each put, get, list, copy and delete files of 2 KiB, 5 MiB and 10 MiB
# under keys with &+-é" and spaces, and check every download byte-exact.
#
# Environment: S3_ENDPOINT (http://127.0.0.1:3900), S3_KEY, S3_SECRET,
# S3_REGION (garage), S3_BUCKET (created if missing; default clients).
# Needs: apt-get install -y awscli s3cmd rclone python3-boto3.
set -euo pipefail

: "${S3_ENDPOINT:=http://127.0.0.1:3900}"
: "${S3_REGION:=garage}"
: "${S3_BUCKET:=clients}"
: "${S3_KEY:?set S3_KEY}" "${S3_SECRET:?set S3_SECRET}"
unset AWS_CA_BUNDLE AWS_PROFILE
export AWS_ACCESS_KEY_ID=$S3_KEY AWS_SECRET_ACCESS_KEY=$S3_SECRET AWS_DEFAULT_REGION=$S3_REGION AWS_REGION=$S3_REGION
export AWS_EC2_METADATA_DISABLED=true AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
hostport=${S3_ENDPOINT#*://}
passed=0
failed=0

ok() { passed=$((passed + 1)); echo "ok   $*"; }
bad() { failed=$((failed + 1)); echo "FAIL $*"; }
# check NAME FILE WANT: FILE must equal WANT byte for byte.
check() { if cmp -s "$2" "$3"; then ok "$1"; else bad "$1 (download differs)"; fi; }

head -c 2048 /dev/urandom >"$work/small"
head -c $((5 << 20)) /dev/urandom >"$work/medium"
head -c $((10 << 20)) /dev/urandom >"$work/large"
head -c 32 /dev/urandom >"$work/sse.key"
files=(small medium large)
# keyname TOOL FILE: an object key with the awkward characters.
keyname() { printf 'dir %s/f &+-é"%s x' "$1" "$2"; }

aws() { /usr/bin/aws --endpoint-url "$S3_ENDPOINT" --region "$S3_REGION" "$@"; }
aws s3api create-bucket --bucket "$S3_BUCKET" >/dev/null 2>&1 || true

run_awscli() {
	local f k
	for f in "${files[@]}"; do
		k=$(keyname awscli "$f")
		aws s3 cp --quiet "$work/$f" "s3://$S3_BUCKET/$k" || { bad "awscli put $f"; continue; }
		aws s3 cp --quiet "s3://$S3_BUCKET/$k" "$work/got" && check "awscli s3 put/get $f" "$work/got" "$work/$f"
		aws s3 cp --quiet "s3://$S3_BUCKET/$k" "s3://$S3_BUCKET/$k.copy" && ok "awscli copy $f" || bad "awscli copy $f"
		aws s3api get-object --bucket "$S3_BUCKET" --key "$k.copy" "$work/got" >/dev/null &&
			check "awscli s3api get copy $f" "$work/got" "$work/$f"
		aws s3 ls "s3://$S3_BUCKET/dir awscli/" | grep -qF "f &+-é\"$f x.copy" && ok "awscli list $f" || bad "awscli list $f"
		aws s3 rm --quiet "s3://$S3_BUCKET/$k" && aws s3api delete-object --bucket "$S3_BUCKET" --key "$k.copy" &&
			ok "awscli delete $f" || bad "awscli delete $f"
	done
	k=$(keyname awscli sse)
	aws s3 cp --quiet --sse-c AES256 --sse-c-key "fileb://$work/sse.key" "$work/large" "s3://$S3_BUCKET/$k" &&
		aws s3 cp --quiet --sse-c AES256 --sse-c-key "fileb://$work/sse.key" "s3://$S3_BUCKET/$k" "$work/got" &&
		check "awscli SSE-C multipart 10 MiB" "$work/got" "$work/large" || bad "awscli SSE-C"
	if aws s3 cp --quiet "s3://$S3_BUCKET/$k" "$work/got" 2>/dev/null; then bad "awscli SSE-C read without key"; else ok "awscli SSE-C read without key refused"; fi
	aws s3 rm --quiet "s3://$S3_BUCKET/$k"
}

s3c() {
	s3cmd --no-ssl --host="$hostport" --host-bucket="$hostport" --access_key="$S3_KEY" --secret_key="$S3_SECRET" \
		--region="$S3_REGION" --config=/dev/null --no-check-md5 "$@"
}

run_s3cmd() {
	local f k
	for f in "${files[@]}"; do
		k=$(keyname s3cmd "$f")
		s3c -q put "$work/$f" "s3://$S3_BUCKET/$k" || { bad "s3cmd put $f"; continue; }
		rm -f "$work/got"
		s3c -q get "s3://$S3_BUCKET/$k" "$work/got" && check "s3cmd put/get $f" "$work/got" "$work/$f"
		s3c -q cp "s3://$S3_BUCKET/$k" "s3://$S3_BUCKET/$k.copy" && ok "s3cmd copy $f" || bad "s3cmd copy $f"
		s3c ls "s3://$S3_BUCKET/dir s3cmd/" | grep -qF "f &+-é\"$f x.copy" && ok "s3cmd list $f" || bad "s3cmd list $f"
		s3c -q del "s3://$S3_BUCKET/$k" "s3://$S3_BUCKET/$k.copy" && ok "s3cmd delete $f" || bad "s3cmd delete $f"
	done
}

run_rclone() {
	export RCLONE_CONFIG_G_TYPE=s3 RCLONE_CONFIG_G_PROVIDER=Other RCLONE_CONFIG_G_ENDPOINT=$S3_ENDPOINT \
		RCLONE_CONFIG_G_ACCESS_KEY_ID=$S3_KEY RCLONE_CONFIG_G_SECRET_ACCESS_KEY=$S3_SECRET \
		RCLONE_CONFIG_G_REGION=$S3_REGION RCLONE_CONFIG_G_FORCE_PATH_STYLE=true
	local f k
	for f in "${files[@]}"; do
		k=$(keyname rclone "$f")
		rclone copyto --config /dev/null "$work/$f" "g:$S3_BUCKET/$k" || { bad "rclone put $f"; continue; }
		rclone copyto --config /dev/null "g:$S3_BUCKET/$k" "$work/got" && check "rclone put/get $f" "$work/got" "$work/$f"
		rclone copyto --config /dev/null "g:$S3_BUCKET/$k" "g:$S3_BUCKET/$k.copy" && ok "rclone copy $f" || bad "rclone copy $f"
		rclone lsf --config /dev/null "g:$S3_BUCKET/dir rclone/" | grep -qF "f &+-é\"$f x.copy" && ok "rclone list $f" || bad "rclone list $f"
		rclone deletefile --config /dev/null "g:$S3_BUCKET/$k" && rclone deletefile --config /dev/null "g:$S3_BUCKET/$k.copy" &&
			ok "rclone delete $f" || bad "rclone delete $f"
	done
}

run_boto3() {
	python3 - "$work" <<'PY'
import filecmp, sys, os, boto3
from botocore.config import Config
work = sys.argv[1]
s3 = boto3.client("s3", endpoint_url=os.environ["S3_ENDPOINT"], region_name=os.environ["S3_REGION"],
                  aws_access_key_id=os.environ["S3_KEY"], aws_secret_access_key=os.environ["S3_SECRET"],
                  config=Config(s3={"addressing_style": "path"}))
b = os.environ["S3_BUCKET"]
for f in ("small", "medium", "large"):
    k = 'dir boto3/f &+-é"%s x' % f
    def step(name, fn):
        try:
            fn(); print("ok   boto3 %s %s" % (name, f))
        except Exception as e:
            print("FAIL boto3 %s %s: %s" % (name, f, e))
    step("put", lambda: s3.upload_file(os.path.join(work, f), b, k))
    def get():
        s3.download_file(b, k, os.path.join(work, "got"))
        assert filecmp.cmp(os.path.join(work, "got"), os.path.join(work, f), shallow=False), "download differs"
    step("put/get", get)
    step("copy", lambda: s3.copy_object(Bucket=b, Key=k + ".copy", CopySource={"Bucket": b, "Key": k}))
    def lst():
        keys = [o["Key"] for o in s3.list_objects_v2(Bucket=b, Prefix="dir boto3/")["Contents"]]
        assert k + ".copy" in keys, keys
    step("list", lst)
    step("delete", lambda: s3.delete_objects(Bucket=b, Delete={"Objects": [{"Key": k}, {"Key": k + ".copy"}]}))
PY
}

for tool in awscli s3cmd rclone boto3; do
	echo "== $tool"
	out=$(S3_ENDPOINT=$S3_ENDPOINT S3_REGION=$S3_REGION S3_BUCKET=$S3_BUCKET S3_KEY=$S3_KEY S3_SECRET=$S3_SECRET "run_$tool" 2>&1) || true
	echo "$out"
	passed=$((passed + $(grep -c '^ok ' <<<"$out" || true)))
	failed=$((failed + $(grep -c '^FAIL' <<<"$out" || true)))
done
echo "s3clients: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
