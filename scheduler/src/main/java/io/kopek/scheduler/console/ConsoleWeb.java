package io.kopek.scheduler.console;

import io.kopek.deployment.ConditionalOnRole;
import io.kopek.deployment.Role;
import java.io.IOException;
import java.time.Duration;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.resource.PathResourceResolver;

/**
 * Serves the operator console, the single-page app that the build puts into {@code META-INF/resources/console/}, at
 * {@code /console/}. A path that names no file ({@code /console/jobs}) is one of the app's own routes and gets
 * {@code index.html}, so a bookmark or a reload works. Vite names the files under {@code assets/} by their content's
 * hash, so they are cached for a year; {@code index.html}, which names them, is revalidated every time, so a new
 * release is seen on the next load. The pages are open; the API they call is not.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnRole(Role.API)
class ConsoleWeb implements WebMvcConfigurer {

    static final String LOCATION = "classpath:/META-INF/resources/console/";

    @Override
    public void addResourceHandlers(ResourceHandlerRegistry registry) {
        registry.addResourceHandler("/console/assets/**")
                .addResourceLocations(LOCATION + "assets/")
                .setCacheControl(
                        CacheControl.maxAge(Duration.ofDays(365)).cachePublic().immutable());
        registry.addResourceHandler("/console/**")
                .addResourceLocations(LOCATION)
                .setCacheControl(CacheControl.noCache())
                .resourceChain(true)
                .addResolver(new AppRoutes());
    }

    @Override
    public void addViewControllers(ViewControllerRegistry registry) {
        registry.addRedirectViewController("/console", "/console/");
        // The resource handler answers an empty path with 404 before any resolver sees it.
        registry.addViewController("/console/").setViewName("forward:/console/index.html");
    }

    /** A file of the build when there is one; {@code index.html} for a route of the app (a path without a dot). */
    static final class AppRoutes extends PathResourceResolver {

        @Override
        protected Resource getResource(String resourcePath, Resource location) throws IOException {
            if (resourcePath.endsWith("/")) {
                // A folder is never served as itself (inside a jar it would read as an empty file).
                return super.getResource("index.html", location);
            }
            Resource file = super.getResource(resourcePath, location);
            if (file != null) {
                return file;
            }
            String last = resourcePath.substring(resourcePath.lastIndexOf('/') + 1);
            // A missing script or image is a 404, not the page: only extensionless paths are the app's routes.
            return last.contains(".") ? null : super.getResource("index.html", location);
        }
    }
}
