# One image for every stage: `docker run tracepipe stage <name>`.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -B -q -DskipTests package

FROM eclipse-temurin:17-jre
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
COPY --from=build /src/launcher/target/tracepipe.jar /opt/tracepipe/tracepipe.jar
WORKDIR /var/lib/tracepipe
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=dev.tracepipe,java.lang,java.util,java.math", "-jar", "/opt/tracepipe/tracepipe.jar"]
CMD ["help"]
