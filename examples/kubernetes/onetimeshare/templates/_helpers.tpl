{{- define "ots.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "ots.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "ots.selectorLabels" -}}
app.kubernetes.io/name: {{ include "ots.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "ots.labels" -}}
{{ include "ots.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "ots.image" -}}
{{- if .Values.image.digest -}}
{{ .Values.image.repository }}@{{ .Values.image.digest }}
{{- else -}}
{{ .Values.image.repository }}:{{ .Values.image.tag }}
{{- end -}}
{{- end -}}

{{/* Refuses what cannot work, with a message an operator can act on. */}}
{{- define "ots.checks" -}}
{{- if and (ne .Values.storage.kind "redis") (or (gt (int .Values.replicaCount) 1) .Values.autoscaling.enabled) -}}
{{- fail (printf "storage.kind %s keeps secrets in one instance: set replicaCount 1 and autoscaling.enabled false, or use storage.kind redis" .Values.storage.kind) -}}
{{- end -}}
{{- if and (eq .Values.bodies.kind "s3") (not .Values.bodies.s3.bucket) -}}
{{- fail "bodies.kind s3 needs bodies.s3.bucket (an existing bucket)" -}}
{{- end -}}
{{- if and (eq .Values.bodies.kind "s3") (ne .Values.storage.kind "redis") -}}
{{- fail "bodies.kind s3 is for instances that share records in Redis: use storage.kind redis" -}}
{{- end -}}
{{- if and .Values.autoscaling.enabled (gt (int .Values.autoscaling.minReplicas) (int .Values.autoscaling.maxReplicas)) -}}
{{- fail "autoscaling.minReplicas is above autoscaling.maxReplicas" -}}
{{- end -}}
{{- if and (contains "sign-in" .Values.server.createAccess) (or (not .Values.oidc.issuer) (not .Values.oidc.clientSecret.name) (not .Values.sessionKey.name)) -}}
{{- fail "createAccess sign-in needs oidc.issuer, oidc.clientSecret.name and sessionKey.name (a session key shared by every instance)" -}}
{{- end -}}
{{- end -}}

{{- define "ots.notifyEndpoints" -}}
{{- $out := list -}}
{{- range .Values.notify.endpoints -}}
{{- $out = append $out (printf "%s=%s" .name .url) -}}
{{- end -}}
{{- join "," $out -}}
{{- end -}}

{{- define "ots.notifyEvents" -}}
{{- $out := list -}}
{{- range .Values.notify.endpoints -}}
{{- $out = append $out (printf "%s=%s" .name (default "all" .events)) -}}
{{- end -}}
{{- join "," $out -}}
{{- end -}}

{{- define "ots.notifySecretFiles" -}}
{{- $out := list -}}
{{- range .Values.notify.endpoints -}}
{{- $out = append $out (printf "%s=/run/secrets/notify-%s/%s" .name .name .secret.key) -}}
{{- end -}}
{{- join "," $out -}}
{{- end -}}
