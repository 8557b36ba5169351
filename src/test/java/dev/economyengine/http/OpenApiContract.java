package dev.economyengine.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.MessageResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import com.atlassian.oai.validator.schema.SchemaValidator;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The repository's {@code openapi.yaml}, used to check real responses: the status must be documented
 * for the operation (or fall under its {@code default}), and the body must match the schema of that
 * status, with no undocumented fields.
 */
final class OpenApiContract {
    static final Path DOCUMENT = Path.of("openapi.yaml");
    private static OpenApiContract instance;

    private final OpenAPI api;
    private final OpenApiInteractionValidator validator;
    private final SchemaValidator schemas;

    private OpenApiContract() {
        assertThat(DOCUMENT).as("run from the project directory").isRegularFile();
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        // Inlines every $ref, as the validator expects (an unresolved response $ref reads as "no body").
        options.setResolveFully(true);
        SwaggerParseResult parsed = new OpenAPIV3Parser().readLocation(DOCUMENT.toString(), null, options);
        assertThat(parsed.getMessages()).as("openapi.yaml parses cleanly").isEmpty();
        api = parsed.getOpenAPI();
        validator = OpenApiInteractionValidator.createFor(api).build();
        schemas = new SchemaValidator(api, new MessageResolver(LevelResolver.defaultResolver()));
    }

    static synchronized OpenApiContract load() {
        if (instance == null) {
            instance = new OpenApiContract();
        }
        return instance;
    }

    OpenAPI api() {
        return api;
    }

    /** Checks a GET response of the given path (as sent, percent-encoded, without the query). */
    void assertConforms(String path, HttpResponse<String> response) {
        SimpleResponse.Builder simple = SimpleResponse.Builder.status(response.statusCode()).withBody(response.body());
        response.headers().map().forEach((name, values) -> simple.withHeader(name, values));
        ValidationReport report = validator.validateResponse(path, Request.Method.GET, simple.build());
        assertThat(report.getMessages()).as("%d response of GET %s against openapi.yaml: %s",
                response.statusCode(), path, response.body()).isEmpty();
    }

    /** Checks a POST response of the given path (as sent, percent-encoded, without the query). */
    void assertPostConforms(String path, HttpResponse<String> response) {
        SimpleResponse.Builder simple = SimpleResponse.Builder.status(response.statusCode()).withBody(response.body());
        response.headers().map().forEach((name, values) -> simple.withHeader(name, values));
        ValidationReport report = validator.validateResponse(path, Request.Method.POST, simple.build());
        assertThat(report.getMessages()).as("%d response of POST %s against openapi.yaml: %s",
                response.statusCode(), path, response.body()).isEmpty();
    }

    /** Checks a body that reached no documented path (a raw request Jetty refused) against a schema. */
    void assertMatchesSchema(String schemaName, String body) {
        ValidationReport report = schemas.validate(body, api.getComponents().getSchemas().get(schemaName), "response.body");
        assertThat(report.getMessages()).as("body against schema %s: %s", schemaName, body).isEmpty();
    }

    List<String> documentedPaths() {
        return List.copyOf(api.getPaths().keySet());
    }
}
