#!/bin/bash
# Writes server.properties from the KAFKA_* environment (as the apache/kafka image
# does), formats the log directory once (KRaft), then runs the broker.
set -euo pipefail
props=/tmp/server.properties
: > "$props"
while IFS='=' read -r name value; do
  case "$name" in
    # Kubernetes' service links (KAFKA_PORT, KAFKA_SERVICE_HOST...) are not settings.
    KAFKA_PORT*|KAFKA_SERVICE_*|KAFKA_HEAP_OPTS|KAFKA_OPTS) ;;
    # As the apache/kafka image: `___` → `-`, `__` → `_`, `_` → `.` (KAFKA_LISTENER_NAME_SASL__PLAINTEXT_SCRAM___SHA___512_…).
    KAFKA_*) printf '%s=%s\n' "$(printf '%s' "${name#KAFKA_}" | tr 'A-Z' 'a-z' | sed -e 's/___/-/g' -e 's/__/@/g' -e 's/_/./g' -e 's/@/_/g')" "$value" >> "$props" ;;
  esac
done < <(env)
cat > /tmp/log4j.properties <<'LOG'
log4j.rootLogger=WARN, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.server.BrokerServer=INFO
LOG
jvm=(${KAFKA_HEAP_OPTS:--Xms256m -Xmx512m} -XX:+UseG1GC -Dlog4j.configuration=file:/tmp/log4j.properties -cp '/opt/kafka/libs/*')
java "${jvm[@]}" kafka.tools.StorageTool format --ignore-formatted -t "${CLUSTER_ID:-5L6g3nShT-eMCtK--X86sw}" -c "$props"
exec java "${jvm[@]}" kafka.Kafka "$props"
