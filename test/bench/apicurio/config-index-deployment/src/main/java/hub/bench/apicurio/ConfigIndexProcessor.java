package hub.bench.apicurio;

import apicurio.common.app.components.config.index.DynamicPropertiesInfoRecorder;
import io.apicurio.common.apps.config.DynamicConfigPropertyDef;
import io.apicurio.common.apps.config.DynamicConfigPropertyList;
import io.quarkus.arc.deployment.SyntheticBeanBuildItem;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.annotations.ExecutionTime;
import io.quarkus.deployment.annotations.Record;
import io.quarkus.deployment.builditem.CombinedIndexBuildItem;
import java.util.ArrayList;
import java.util.List;
import javax.inject.Singleton;
import org.jboss.jandex.AnnotationInstance;
import org.jboss.jandex.AnnotationTarget;
import org.jboss.jandex.AnnotationValue;
import org.jboss.jandex.DotName;
import org.jboss.jandex.FieldInfo;
import org.jboss.jandex.Type;

/**
 * Apicurio's config index: the list of configuration properties an administrator may change at
 * run time (fields annotated {@code @Dynamic} next to {@code @ConfigProperty}), made into a
 * {@link DynamicConfigPropertyList} bean through the runtime half's recorder. Written for the
 * benchmark from the runtime half's public types, because the original deployment artifact
 * cannot be fetched here; the benchmark never changes a dynamic property, so only the bean's
 * existence matters to it, but the list is filled in as the name suggests.
 */
public class ConfigIndexProcessor {
    private static final DotName DYNAMIC = DotName.createSimple("io.apicurio.common.apps.config.Dynamic");
    private static final DotName CONFIG_PROPERTY = DotName.createSimple("org.eclipse.microprofile.config.inject.ConfigProperty");

    @BuildStep
    @Record(ExecutionTime.STATIC_INIT)
    SyntheticBeanBuildItem dynamicProperties(CombinedIndexBuildItem index, DynamicPropertiesInfoRecorder recorder) throws ClassNotFoundException {
        List<DynamicConfigPropertyDef> defs = new ArrayList<>();
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        for (AnnotationInstance dynamic : index.getIndex().getAnnotations(DYNAMIC)) {
            if (dynamic.target().kind() != AnnotationTarget.Kind.FIELD) continue;
            FieldInfo field = dynamic.target().asField();
            AnnotationInstance property = field.annotation(CONFIG_PROPERTY);
            if (property == null) continue;
            // Dynamic fields are Supplier<T>: the property's type is T.
            Type type = field.type();
            if (type.kind() == Type.Kind.PARAMETERIZED_TYPE) type = type.asParameterizedType().arguments().get(0);
            AnnotationValue defaultValue = property.value("defaultValue");
            DynamicConfigPropertyDef def = new DynamicConfigPropertyDef(property.value("name").asString(), Class.forName(type.name().toString(), false, loader), defaultValue == null ? null : defaultValue.asString());
            AnnotationValue label = dynamic.value("label");
            AnnotationValue description = dynamic.value("description");
            AnnotationValue requires = dynamic.value("requires");
            if (label != null) def.setLabel(label.asString());
            if (description != null) def.setDescription(description.asString());
            if (requires != null) def.setRequires(requires.asStringArray());
            defs.add(def);
        }
        return SyntheticBeanBuildItem.configure(DynamicConfigPropertyList.class)
                .scope(Singleton.class)
                .runtimeValue(recorder.initializePropertiesInfo(defs))
                .done();
    }
}
