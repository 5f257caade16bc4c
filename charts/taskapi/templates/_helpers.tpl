{{/*
The chart name, truncated to the 63 characters a label value allows.
*/}}
{{- define "taskapi.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
The full name of every resource: the release name, plus the chart name unless the release name already
contains it. Truncated to 63 characters because some Kubernetes name fields are DNS labels.
*/}}
{{- define "taskapi.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/*
The chart label: name and version, with "+" (not allowed in labels) replaced.
*/}}
{{- define "taskapi.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Labels on every object of the API.
*/}}
{{- define "taskapi.labels" -}}
{{ include "taskapi.metaLabels" . }}
{{ include "taskapi.selectorLabels" . }}
{{- end }}

{{/*
Labels that describe the release but never select anything. The version label follows the image tag,
which is what actually runs.
*/}}
{{- define "taskapi.metaLabels" -}}
helm.sh/chart: {{ include "taskapi.chart" . }}
app.kubernetes.io/version: {{ .Values.image.tag | trunc 63 | trimSuffix "-" | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: primetradeai
{{- end }}

{{/*
Selector labels of the API pods. They never change between upgrades (a Deployment's selector is
immutable), and the component label keeps the `helm test` pod out of the Deployment, Service, PDB and
NetworkPolicy selectors.
*/}}
{{- define "taskapi.selectorLabels" -}}
app.kubernetes.io/name: {{ include "taskapi.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: api
{{- end }}

{{/*
The ServiceAccount the pods run as.
*/}}
{{- define "taskapi.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "taskapi.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
The image reference: repository@digest when a digest pins it, repository:tag otherwise.
*/}}
{{- define "taskapi.image" -}}
{{- $tag := required "image.tag is required (an immutable version, never \"latest\")" .Values.image.tag }}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository $tag }}
{{- end }}
{{- end }}

{{/*
The image pull policy: the value when set, otherwise IfNotPresent for a digest (one immutable image) and
Always for a tag (which can be pushed again).
*/}}
{{- define "taskapi.pullPolicy" -}}
{{- .Values.image.pullPolicy | default (ternary "IfNotPresent" "Always" (ne .Values.image.digest "")) }}
{{- end }}

{{/*
The Secret with MONGODB_URI, REDIS_URL, JWT_SECRET (and optionally SENTRY_DSN).
*/}}
{{- define "taskapi.secretName" -}}
{{- required "existingSecret is required: the name of the Secret that holds MONGODB_URI, REDIS_URL and JWT_SECRET" .Values.existingSecret }}
{{- end }}

{{/*
The fewest pods the workload runs: the autoscaler's minimum when it owns the replica count.
*/}}
{{- define "taskapi.minReplicas" -}}
{{- if .Values.autoscaling.enabled }}
{{- .Values.autoscaling.minReplicas }}
{{- else }}
{{- .Values.replicaCount }}
{{- end }}
{{- end }}

{{/*
A PodDisruptionBudget whose minAvailable is not below the fewest pods would block every node drain (or,
with zero pods, protect nothing): refuse it at render time, naming the values involved.
*/}}
{{- define "taskapi.validatePodDisruptionBudget" -}}
{{- if .Values.podDisruptionBudget.enabled }}
{{- $min := int (include "taskapi.minReplicas" .) }}
{{- $source := ternary "autoscaling.minReplicas" "replicaCount" .Values.autoscaling.enabled }}
{{- if le $min (int .Values.podDisruptionBudget.minAvailable) }}
{{- fail (printf "podDisruptionBudget.minAvailable (%d) must be below %s (%d), or node drains can never evict a pod; raise %s or set podDisruptionBudget.enabled to false" (int .Values.podDisruptionBudget.minAvailable) $source $min $source) }}
{{- end }}
{{- end }}
{{- end }}

{{/*
Where the Secret's keys appear as files in the API container, one file per key.
*/}}
{{- define "taskapi.secretDir" -}}
/run/secrets/taskapi
{{- end }}

{{/*
The keys of the Secret the pods read: SENTRY_DSN only when sentryEnabled.
*/}}
{{- define "taskapi.secretKeys" -}}
{{- $keys := list "MONGODB_URI" "REDIS_URL" "JWT_SECRET" }}
{{- if .Values.sentryEnabled }}
{{- $keys = append $keys "SENTRY_DSN" }}
{{- end }}
{{- join "," $keys }}
{{- end }}

{{/*
The internet as a NetworkPolicy peer: every IPv4 address except the private ranges (the cluster, the VPC,
peered networks) and the instance metadata address, which holds the node's credentials.
*/}}
{{- define "taskapi.internetPeer" -}}
- ipBlock:
    cidr: 0.0.0.0/0
    except:
      - 10.0.0.0/8
      - 172.16.0.0/12
      - 192.168.0.0/16
      - 169.254.169.254/32
{{- end }}

{{/*
The networks that hold the data stores, as NetworkPolicy peers.
*/}}
{{- define "taskapi.dataStorePeers" -}}
{{- range .Values.networkPolicy.dataStoreCidrs }}
- ipBlock:
    cidr: {{ . }}
{{- end }}
{{- end }}

{{/*
The cluster's DNS pods as a NetworkPolicy peer.
*/}}
{{- define "taskapi.clusterDnsPeer" -}}
- namespaceSelector:
    matchLabels:
      kubernetes.io/metadata.name: kube-system
  podSelector:
    matchLabels:
      k8s-app: kube-dns
{{- end }}
